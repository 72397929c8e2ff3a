// One run as the run list shows it: a run folder under the remote root (DESIGN.md
// contract 2), whoever started it.
#pragma once

#include <QDateTime>
#include <QString>

#include <limits>

namespace rdt {

enum class RunRowState { Unknown, Running, Finished, Failed, Stopped };

// "running", "finished", "failed", "stopped", "unknown"
QString runStateName(RunRowState state);

struct RunRow {
    QString name;                 // the run folder's name, unique per host profile
    RunRowState state = RunRowState::Unknown;
    qint64 step = 0;
    qint64 maxSteps = 0;          // 0: not known (no start event read yet)
    double lastLoss = std::numeric_limits<double>::quiet_NaN();
    QDateTime startTime;          // invalid: not known
};

} // namespace rdt
