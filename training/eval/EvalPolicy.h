// The model an eval samples from: RDTRunner with the checkpoint's weights and the run's
// conditioning with its encoders, both built by the functions the trainer uses.
#pragma once

#include "eval/EvalCheckpoint.h"
#include "model/RdtConfig.h"
#include "model/RdtRunner.h"
#include "train/Conditioning.h"
#include "train/TrainOptions.h"

#include <string>

namespace rdt {

struct EvalPolicy {
    RdtConfig config;
    RdtRunner runner{nullptr};
    Conditioning conditioning{nullptr};
    std::string summary; // which files were loaded, for the log
};

// Builds and loads the policy on device, in eval mode. Throws TrainerError naming the
// checkpoint and the file when weights are missing, of another model size, or incomplete.
EvalPolicy loadEvalPolicy(const EvalCheckpoint &checkpoint, const TrainOptions &run, int64_t imageHeight,
                          int64_t imageWidth, const torch::Device &device);

} // namespace rdt
