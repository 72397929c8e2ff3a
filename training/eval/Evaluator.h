// `rdt-trainer eval`: checkpoint, the run's arguments, episodes, policy; then one loop over
// the episodes that predicts, scores, writes the actions and the video, and reports.
#pragma once

#include "eval/EvalOptions.h"

namespace rdt {

struct EvalSummary {
    int episodes = 0;
    double mse = 0.0;
    double l2err = 0.0;
    double gripper_agreement = 0.0;
    int64_t samples = 0;        // action chunks sampled
    double sample_seconds = 0.0; // spent on them: inputs, conditioning, DPM-Solver++
    std::string output_dir;
};

// Throws TrainerError with one line that says what and where; once the output folder
// exists, an "error" event is written first and the results so far stay in results.json.
EvalSummary runEval(const EvalOptions &options);

} // namespace rdt
