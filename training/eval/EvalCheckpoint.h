// Finds what an eval needs in a checkpoint folder: the weights (EMA or raw, in our layout or
// RDT's own), the encoders, the model config, and the run folder whose recorded arguments
// say how the model was conditioned.
#pragma once

#include <string>

namespace rdt {

struct EvalCheckpoint {
    std::string folder;        // the checkpoint folder as given
    std::string name;          // its folder name, "checkpoint-N"
    std::string weights;       // "ema" or "raw"
    std::string weights_file;  // ema/model.safetensors, model.safetensors or pytorch_model.bin
    std::string encoders_file; // encoders.safetensors, or "" when the folder has none
    std::string config_file;   // config.json, or the run's run.yaml
    std::string run_folder;    // the folder above the checkpoint
};

// weights is "ema" or "raw". Throws TrainerError naming the folder and what it lacks.
EvalCheckpoint locateEvalCheckpoint(const std::string &folder, const std::string &weights);

} // namespace rdt
