// Rendezvous over c10d's TCPStore at MASTER_ADDR:MASTER_PORT: rank 0 serves the store, every
// rank checks in, and all agree on WORLD_SIZE before any backend is built, so a taken port,
// an unreachable master, a mismatched world size or a duplicated rank is one line, not a hang.
#pragma once

#include "dist/DistEnv.h"

#include <torch/csrc/distributed/c10d/Store.hpp>

namespace rdt::dist {

// Returns the connected store once all world_size ranks have joined. Throws TrainerError.
c10::intrusive_ptr<::c10d::Store> rendezvous(const DistEnv &env);

// The first line of an exception's text (LibTorch's run on with a backtrace).
std::string firstLine(const std::string &text);

} // namespace rdt::dist
