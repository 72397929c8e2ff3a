// The name the wizard suggests for the next run after one was launched: the last name with
// a counter ("smoke" -> "smoke-2", "smoke-2" -> "smoke-3"), skipping names already taken,
// so launching again needs no typing and never collides with a run folder.
#pragma once

#include <QString>
#include <QStringList>

namespace rdt {

class NextRunName {
public:
    static QString after(const QString &last, const QStringList &taken);
};

} // namespace rdt
