// One run folder on the server as the run list shows it: its state and progress, read
// from the trainer's pid, its metrics.jsonl and the launcher's notes in the run folder.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <limits>

namespace rdt {

enum class RunState {
    Running,    // a live trainer process for the run folder
    Finished,   // the trainer wrote "done"
    Failed,     // an "error" event, or the trainer died without a word (killed, crashed)
    Stopped,    // interrupted: a stop was asked for, or the trainer ended on SIGINT/SIGTERM
};

struct RunInfo {
    QString name;              // the folder name under ROOT/runs
    QString folder;            // absolute, as the server resolved it
    RunState state = RunState::Stopped;
    QString detail;            // why (the error message, "killed by signal 9", ...)
    qint64 pid = 0;            // the trainer's, when running
    qint64 step = -1;          // the last step reached; -1 before the first
    qint64 maxSteps = -1;      // max_train_steps; -1 when unknown
    double lastLoss = std::numeric_limits<double>::quiet_NaN();
    QDateTime startTime;       // the first start event; invalid when none
    QDateTime lastUpdate;      // metrics.jsonl's modification time

    static QString stateName(RunState state);   // "running", "finished", "failed", "stopped"
    QJsonObject toJson() const;
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::RunInfo)
