// One eval of a run's checkpoint as the eval list shows it: running, done, failed or stopped,
// with its progress (episodes done of how many), read from the eval folder on the server.
#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace rdt {

enum class EvalState {
    Running,   // a live eval process for the folder
    Done,      // events.jsonl has its "done" (the process may be closing its files), or exit status 0
    Failed,    // an "error" event, or the process ended without "done"
    Stopped,   // a stop was asked for
};

struct EvalInfo {
    QString checkpoint;        // "checkpoint-N"
    QString folder;            // absolute, as the server resolved it
    EvalState state = EvalState::Failed;
    QString detail;            // why it failed ("rdt-trainer eval: ...", "exit status 137")
    qint64 pid = 0;            // when running
    int episodesDone = 0;      // episode events so far
    int episodesTotal = -1;    // from the start event; -1 before it
    bool hasResults = false;   // results.json is there
    int videos = 0;            // files under videos/

    static QString stateName(EvalState state);   // "running", "done", "failed", "stopped"
    QJsonObject toJson() const;
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::EvalInfo)
