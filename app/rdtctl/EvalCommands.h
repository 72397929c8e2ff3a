// The eval commands of rdtctl: run an eval of a checkpoint detached on the server and follow
// it to its end (progress on stderr), list a run's evals, stop one, and fetch an eval's files
// (results, actions, videos) verified by MD5. Exit status: 0 done, 1 the eval or the
// operation failed (one line says why), 2 bad usage, 255 no connection.
#pragma once

#include "CliOptions.h"

namespace rdt {

// eval HOST --root DIR --run NAME --checkpoint N [--episodes LIST] [--exec-horizon N]
//      [--weights ema|raw] [--device D] [--no-video] [--trainer PATH] [--timeout S]
//      [--no-tmux] [--detach | --attach | --stop] [--command PRESET | -- COMMAND with {checkpoint} {output_dir} ...]
int runEvalCommand(const CliOptions &options);
int runEvalsCommand(const CliOptions &options);    // evals HOST --root DIR --run NAME [--json]
int runVideosCommand(const CliOptions &options);   // videos HOST --root DIR --run NAME [--checkpoint N] LOCAL

} // namespace rdt
