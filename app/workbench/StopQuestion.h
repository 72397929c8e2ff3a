// The question Stop asks once per click: "Checkpoint and stop run X?", with a box to stop
// asking; the answer to that box is a setting (dashboard/askBeforeStop), so it holds
// across restarts and can be turned back on by removing it.
#pragma once

#include <QString>

class QWidget;

namespace rdt {

class StopQuestion {
public:
    static QString settingKey() { return QStringLiteral("dashboard/askBeforeStop"); }
    static bool isEnabled();
    static void setEnabled(bool ask);
    // True: stop the run. Asks only while the setting is on.
    static bool confirm(QWidget *parent, const QString &run);
};

} // namespace rdt
