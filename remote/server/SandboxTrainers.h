// The sandbox's GPU host is this machine, so the trainers it runs are local processes:
// this finds the live ones (from each run's pid file) and stops them. The sandbox keeps its folder while any is found, because
// deleting it would pull the files from under a trainer that still writes them.
#pragma once

#include <QList>
#include <QString>

namespace rdt {

struct SandboxTrainer {
    qint64 pid = 0;
    QString runFolder;   // the run folder named in its arguments
};

class SandboxTrainers {
public:
    // The live trainers of the runs under `runsFolder` (ROOT/runs).
    static QList<SandboxTrainer> live(const QString &runsFolder);
    // Sends SIGINT (the trainer writes a final checkpoint and exits); returns how many it reached.
    static int interrupt(const QList<SandboxTrainer> &trainers);
};

} // namespace rdt
