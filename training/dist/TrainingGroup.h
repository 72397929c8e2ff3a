// The trainer's view of data-parallel training: which rank this process is, and the few
// collective operations the training loop needs. With WORLD_SIZE unset or 1 there is no
// process group at all and every operation is the identity, so a single-process run is
// exactly what it was before data parallelism existed.
#pragma once

#include "dist/DistEnv.h"
#include "dist/GradientReducer.h"

#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

namespace rdt::dist {

struct ProcessGroupHandle;

class TrainingGroup {
public:
    // Reads torchrun's environment and, when WORLD_SIZE > 1, joins the process group: Gloo
    // for --device cpu, NCCL for cuda. Throws TrainerError with one line when it cannot.
    explicit TrainingGroup(const std::string &device);
    ~TrainingGroup();
    TrainingGroup(const TrainingGroup &) = delete;
    TrainingGroup &operator=(const TrainingGroup &) = delete;

    int rank() const { return m_env.rank; }
    int worldSize() const { return m_env.world_size; }
    bool isMain() const { return m_env.rank == 0; }
    bool distributed() const { return m_env.distributed(); }
    // The device this rank trains on: "cuda" becomes cuda:<LOCAL_RANK> in a multi-process run.
    std::string device() const { return m_device; }

    // Overwrites the tensors with rank 0's values (the same initial weights on every rank).
    void broadcastFromMain(const std::vector<at::Tensor> &tensors) const;
    // The mean of value over all ranks.
    double mean(double value) const;
    // True when flag is true on any rank (a stop one rank saw ends every rank's loop together).
    bool anyRank(bool flag) const;
    // Returns when every rank has reached it (rank 0's checkpoint is complete before any reads it).
    void barrier() const;
    // The gradient all-reduce for these parameters (a no-op without a process group).
    std::unique_ptr<GradientReducer> gradientReducer(const std::vector<at::Tensor> &params) const;

    // A per-rank file name: "train.log" for rank 0, "train.rank1.log" for rank 1.
    std::string rankFileName(const std::string &name) const;

private:
    DistEnv m_env;
    std::string m_device;
    std::shared_ptr<ProcessGroupHandle> m_group;
};

} // namespace rdt::dist
