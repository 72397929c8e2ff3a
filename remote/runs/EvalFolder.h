// Where an eval of one checkpoint lives on the server, shared by the eval launcher, list,
// follower, stop and download: ROOT/runs/RUN/eval/checkpoint-N/ holds the trainer's files
// (events.jsonl, results.json, actions/, videos/) and the launcher's own:
//   eval.log                the eval command's standard output and error
//   .rdt/trainer.pid        the eval process's id (as for training, so trainer_pid finds it)
//   .rdt/exit-status        its exit status once it ended
//   .rdt/stop-requested     written by stop before the first signal
//   .rdt/command            the command line it was started with, NUL after each argument
// .rdt/ is never downloaded: the folder sync leaves it out on both sides.
#pragma once

#include "Result.h"

#include <QString>

namespace rdt {

class EvalFolder {
public:
    // "checkpoint-N" with N a whole number: the only folder names an eval is launched for.
    [[nodiscard]] static Result<void> checkCheckpointName(const QString &checkpoint);
    // Both names checked: the run's (RunFolderLayout) and the checkpoint's.
    [[nodiscard]] static Result<void> check(const QString &runName, const QString &checkpoint);

    // ROOT/runs/RUN/eval/CHECKPOINT ("~/" kept: the server resolves it).
    static QString folder(const QString &remoteRoot, const QString &runName, const QString &checkpoint);
    static QString eventsPath(const QString &remoteRoot, const QString &runName, const QString &checkpoint);
    // RUN/eval/CHECKPOINT: the name RunStopper's script joins to ROOT/runs/.
    static QString relativeToRuns(const QString &runName, const QString &checkpoint);
};

} // namespace rdt
