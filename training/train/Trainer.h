// `rdt-trainer train`: config, seed and device, dataset, model (fresh, pretrained or
// resumed), optimizer, then one loop writing metrics.jsonl, train.log and checkpoints.
#pragma once

#include "train/TrainOptions.h"

namespace rdt {

// Runs to max_train_steps. Throws TrainerError (after writing an "error" event when the
// run folder exists) with one line that says what and where.
void runTraining(const TrainOptions &options);

} // namespace rdt
