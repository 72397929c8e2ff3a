// Checkpoints of contract 2: checkpoint-<step>/ with config.json, model.safetensors,
// ema/model.safetensors, encoders.safetensors, optimizer.pt and trainer_state.json
// (step, epoch, data position, EMA step) plus rng_state.safetensors. Written into a
// temporary folder and renamed, so a folder named checkpoint-<step> is always complete.
#pragma once

#include "model/RdtConfig.h"
#include "model/RdtRunner.h"
#include "train/EmaModel.h"

#include <torch/optim/optimizer.h>

#include <optional>
#include <string>
#include <vector>

namespace rdt {

struct TrainerState {
    int64_t step = 0;           // optimizer steps taken
    double epoch = 0.0;
    uint64_t data_seed = 0;
    int64_t data_next_batch = 0;
    // The next sample of the sequence and the global batch it was counted in; -1: a
    // checkpoint from before they were recorded (resume then needs the same global batch).
    int64_t data_next_sample = -1;
    int64_t data_global_batch = -1;
    int64_t ema_step = 0;
    at::Tensor rng_state;       // the noise/timestep generator's state (uint8)
};

// Everything trainable beside the runner (image and language encoders), by name.
struct CheckpointModules {
    RdtRunner &runner;
    EmaModel &ema;
    torch::nn::Module &encoders;
    torch::optim::Optimizer &optimizer;
};

// Writes output_dir/checkpoint-<step>; returns its folder name. Throws TrainerError.
std::string saveCheckpoint(const std::string &outputDir, const RdtConfig &config, CheckpointModules modules,
                           const TrainerState &state);

// trainer_state.json and rng_state.safetensors alone, to find the data position before
// the model exists.
TrainerState readTrainerState(const std::string &folder);

// Loads a checkpoint folder into the modules and returns its trainer state.
TrainerState loadCheckpoint(const std::string &folder, CheckpointModules modules);

// checkpoint-<step> folders under outputDir, oldest (lowest step) first.
std::vector<std::string> listCheckpoints(const std::string &outputDir);
std::optional<std::string> latestCheckpoint(const std::string &outputDir);

// Removes the oldest checkpoints so that at most `keep` remain (keep < 0: no limit).
void pruneCheckpoints(const std::string &outputDir, int64_t keep);

} // namespace rdt
