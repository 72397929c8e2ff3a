// What a launch script (RunLauncher's, EvalLauncher's) answered after its header line:
// "@started METHOD PID FOLDER", "@died STATUS" and the log's last lines, "@timeout PID",
// "@fail REASON" or "@no-root REASON". One reading for both launchers; each keeps its own
// wording for the two answers that name what it started.
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace rdt {

class CollectedCommand;

struct LaunchOutcome {
    QString method;        // "tmux" or "setsid"
    qint64 pid = 0;        // the started process's
    QString folder;        // its folder (run or eval), absolute
};

struct LaunchAnswerWording {
    // The message for "@died STATUS", given the lines after it (the log's last lines).
    std::function<QString(const QByteArray &status, const QList<QByteArray> &log)> died;
    // The message for "@timeout PID".
    std::function<QString(const QByteArray &pid)> timedOut;
};

// `what` starts every message ("start run r1"); `header` is the script's header line.
[[nodiscard]] Result<LaunchOutcome> readLaunchAnswer(const CollectedCommand &command, const QByteArray &header,
                                                     const QString &what, const LaunchAnswerWording &wording);

} // namespace rdt
