// The run commands of rdtctl: start a trainer detached on the server, list runs, show or
// follow a run's log or metrics, stop and resume. Exit status: 0 done, 1 the operation
// failed (the message says why), 2 bad usage, 255 no connection.
#pragma once

#include "CliOptions.h"

namespace rdt {

int runRunCommand(const CliOptions &options);      // run HOST --root DIR --name NAME [--trainer PATH] [--no-tmux] -- FLAGS...
int runRunsCommand(const CliOptions &options);     // runs HOST --root DIR [--json]
int runTailCommand(const CliOptions &options);     // tail HOST --root DIR NAME [--follow] [--metrics] [-n N]
int runStopCommand(const CliOptions &options);     // stop HOST --root DIR NAME [--grace S]
int runResumeCommand(const CliOptions &options);   // resume HOST --root DIR NAME [--trainer PATH] [--no-tmux]

} // namespace rdt
