// `rdt-trainer train`: config, seed and device, dataset, model (fresh, pretrained or
// resumed), optimizer, then one loop writing metrics.jsonl, train.log and checkpoints.
#pragma once

#include "train/TrainOptions.h"

#include <cstdint>

namespace rdt {

// How a run that did not fail ended.
struct TrainingEnd {
    int64_t step = 0;
    int stopSignal = 0; // 0: ran to max_train_steps; else the signal that stopped it
};

// Runs to max_train_steps, or until SIGINT/SIGTERM: then it finishes the step, writes a
// checkpoint of it and a "stopped" event. Throws TrainerError (after writing an "error"
// event when the run folder exists) with one line that says what and where.
TrainingEnd runTraining(const TrainOptions &options);

} // namespace rdt
