// The flags a run was trained with, read back from its folder, so eval builds the same
// conditioning (language embeddings, encoders, hold-out split) through the trainer's own
// flag parser: run.yaml's `train:` section (the resolved flags the trainer wrote), else
// .rdt/trainer-args (the flags the workbench started it with), else the defaults.
#pragma once

#include "train/TrainOptions.h"

#include <string>

namespace rdt {

struct RunArguments {
    TrainOptions options;
    std::string source; // the file they came from, or "" for the defaults
};

// Throws TrainerError naming the file when one exists but cannot be read.
RunArguments readRunArguments(const std::string &runFolder);

} // namespace rdt
