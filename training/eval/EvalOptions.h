// The `rdt-trainer eval` flags of contract 1, with their defaults.
#pragma once

#include <cstdint>
#include <string>

namespace rdt {

struct EvalOptions {
    std::string checkpoint;        // --checkpoint DIR: checkpoint-N/ (ours or RDT's layout)
    std::string weights = "ema";   // --weights ema|raw
    std::string dataset;           // --dataset PATH; empty: the run's recorded --dataset
    std::string episodes;          // --episodes demo_3,demo_7 or FILE_STEM/demo_3; empty: held out
    int64_t exec_horizon = 16;     // --exec_horizon: steps executed from each sampled chunk
    bool record_video = false;     // --record_video
    std::string video_output_dir;  // --video_output_dir; empty: OUTPUT/videos
    std::string output_dir;        // --output_dir; empty: RUN/eval/checkpoint-N
    std::string device = "cpu";    // --device cpu|cuda[:i]
    int64_t seed = 0;              // --seed: the initial noise of every sampled chunk
    int64_t batch_size = 16;       // --batch_size: chunks sampled together
};

} // namespace rdt
