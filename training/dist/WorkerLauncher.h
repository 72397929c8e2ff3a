// `rdt-trainer launch`: starts one worker process per local rank with torchrun's
// environment, watches them and stops them together. One worker failing ends the others
// with a message naming it; SIGINT/SIGTERM is passed on (the workers finish their step and
// write a checkpoint) and a worker that does not stop in time is killed. Every worker runs in
// its own process group and dies with the launcher, so nothing is left running.
#pragma once

#include <string>
#include <vector>

namespace rdt::dist {

struct LaunchSpec {
    int nproc_per_node = 1;
    int nnodes = 1;
    int node_rank = 0;
    std::string master_addr = "127.0.0.1";
    int master_port = 29500;      // 0 on a single node: a free port
    double rdzv_timeout_s = 0;    // > 0: RDT_RDZV_TIMEOUT for the workers
    double stop_timeout_s = 120;  // after a stop or a failure, how long until SIGKILL
    std::string executable;       // the rdt-trainer to run
    std::vector<std::string> worker_args; // its arguments, e.g. {"train", "--config", ...}
};

// Runs the workers to the end; returns the exit code for the launcher: 0 when all succeeded,
// the first failed worker's code (128 + signal when killed), 128 + signal after a stop.
// Throws TrainerError for an invalid spec or when a worker cannot be started.
int launchWorkers(const LaunchSpec &spec);

// A free TCP port on this host (for --master_port 0 on one node).
int freeLocalPort();

} // namespace rdt::dist
