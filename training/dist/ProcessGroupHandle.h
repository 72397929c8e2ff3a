// What the dist/ classes share once a process group exists: the rendezvous store, the c10d
// backend, this rank and the world size, and the one translation of a failed collective
// into a TrainerError. Internal to dist/ (it includes the c10d headers).
#pragma once

#include "dist/C10dCompat.h"

#include <string>

namespace rdt::dist {

struct ProcessGroupHandle {
    c10::intrusive_ptr<::c10d::Store> store;
    c10::intrusive_ptr<CollectiveBackend> backend;
    int rank = 0;
    int world_size = 1;
    // The device of the scalar tensors exchanged (CPU for Gloo, the rank's GPU for NCCL).
    c10::Device scalar_device = c10::kCPU;

    // Waits for a collective; a peer that exited or was killed surfaces here, as a
    // TrainerError that says so and names this rank and what it was doing.
    void wait(const c10::intrusive_ptr<::c10d::Work> &work, const std::string &what) const;
};

} // namespace rdt::dist
