// Where a run lives on the server and the workbench's own notes in it, shared by the run
// list, the launcher and stop. Contract 2's files (metrics.jsonl, train.log, run.yaml,
// checkpoint-N/) are the trainer's; the launcher adds, under RUN/.rdt/:
//   trainer.pid       the trainer's process id (the launcher execs the trainer in place)
//   exit-status       the trainer's exit status once it ended (128+N: killed by signal N)
//   stop-requested    written by stop before the first signal, so the run reads "stopped"
//   trainer-args      the flags after `train`, one a line, which resume starts it with again
//   trainer-env       the run's environment, NAME=VALUE a line, exported again on resume
//   launcher-args     for a data-parallel run, the flags of `rdt-trainer launch` (one a
//                     line; empty: a single process), which resume launches with again
//   argv              the command after the trainer's path that the last start ran
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

namespace rdt {

class RunFolderLayout {
public:
    // A run name is one folder name: letters, digits, '.', '_', '-', not starting with
    // '.' or '-' (so it is never hidden and never read as an option).
    [[nodiscard]] static Result<void> checkRunName(const QString &name);

    // Shell functions every run script starts with (POSIX sh; $1 is the remote root):
    //   resolve_root       sets $root to the absolute, symlink-free root ("~/" = home) or
    //                      prints "@no-root REASON" and returns 1
    //   trainer_pid DIR    prints the pid of a live trainer for run folder DIR: the pid
    //                      file's when that process is the one recorded (DIR/.rdt/trainer.id:
    //                      its start time and session) or, without a record (the setup
    //                      wizard's DIR/pid of its launch.sh), still has DIR as an argument;
    //                      else a process with DIR as an argument (runs started by hand), of
    //                      the recorded trainer's session when there is a record; fails when
    //                      there is none
    //   proc_id PID        prints "STARTTIME SESSION" of a process (/proc/PID/stat)
    static QByteArray shellFunctions();

    // The start of a launcher's pid writer: `record_trainer DIR` writes DIR/.rdt/trainer.id
    // and then DIR/.rdt/trainer.pid for the shell running it, which then execs the trainer
    // (same pid, same start time). Launchers wait for trainer.pid, so the record is first.
    static QByteArray trainerRecorder();
};

} // namespace rdt
