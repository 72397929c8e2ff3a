// Remembers the values a user gives an eval command preset's own fields (rdt_repo, config,
// benchmark, ...) per host profile, in QSettings, so the Eval tab offers them again for that
// host's next eval: one server keeps its RDT fork in ~/rdt, another in /opt/rdt.
#pragma once

#include "EvalCommandTemplate.h"

#include <QString>

namespace rdt {

class EvalFieldMemory {
public:
    static EvalCommandValues values(const QString &host, const QString &preset);
    // Replaces what was remembered for that host and preset; empty values forget it.
    static void remember(const QString &host, const QString &preset, const EvalCommandValues &values);
};

} // namespace rdt
