// Where this process stands in a data-parallel run, read from the environment as torchrun
// (and `rdt-trainer launch`) set it: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT,
// plus our RDT_RDZV_TIMEOUT. No LibTorch here, so the launcher and tests include it freely.
#pragma once

#include <chrono>
#include <string>

namespace rdt::dist {

struct DistEnv {
    int rank = 0;
    int world_size = 1;        // 1 (or WORLD_SIZE unset): a single process, no process group
    int local_rank = 0;        // the GPU index on this node (cuda:<local_rank>)
    std::string master_addr = "127.0.0.1";
    int master_port = 29500;   // torchrun's default
    // How long the rendezvous (TCPStore connect, every rank joining) may take before it
    // fails with a one-line error instead of hanging.
    std::chrono::milliseconds rdzv_timeout{std::chrono::seconds(300)};

    bool distributed() const { return world_size > 1; }
};

// Reads the variables; throws TrainerError naming the variable for a malformed or
// inconsistent value (RANK >= WORLD_SIZE, a port out of range, ...).
DistEnv readDistEnv();

// The environment variable that sets the rendezvous timeout, in seconds.
constexpr const char *kRdzvTimeoutVariable = "RDT_RDZV_TIMEOUT";

} // namespace rdt::dist
