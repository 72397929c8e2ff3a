// Open-loop prediction over one demonstration: every exec_horizon steps, the chunk sampled
// from that step's observation (built exactly as training builds a sample, without
// condition dropout) supplies the next exec_horizon actions, mapped back to LIBERO's 7-d.
#pragma once

#include "data/BatchBuilder.h"
#include "data/LiberoCatalog.h"
#include "data/SamplingPlan.h"
#include "eval/EvalPolicy.h"
#include "eval/LiberoActionDecoder.h"
#include "train/DpmSolver.h"

#include <ATen/core/Generator.h>

#include <vector>

namespace rdt {

struct EpisodePrediction {
    std::vector<int> chunk_starts;        // 0, h, 2h, ...
    std::vector<LiberoAction> predicted;  // one per step
    int64_t samples = 0;                  // chunks sampled
    double seconds = 0.0;                 // spent building their inputs and sampling them
};

class EpisodePredictor {
public:
    // Borrows policy and catalog, which must outlive it.
    EpisodePredictor(EvalPolicy &policy, const data::LiberoCatalog &catalog, const torch::Device &device,
                     uint64_t seed, int64_t batchSize);

    // episode indexes the catalog's episodes. Throws TrainerError.
    EpisodePrediction predict(int episode, int execHorizon);

private:
    EvalPolicy &m_policy;
    const data::LiberoCatalog &m_catalog;
    torch::Device m_device;
    int64_t m_batchSize;
    data::SamplingPlan m_plan; // unused by buildDraws; BatchBuilder borrows one
    data::BatchBuilder m_builder;
    DpmSolver m_solver;
    at::Generator m_generator;
    std::vector<int64_t> m_offsets; // the catalog's global step of each episode's step 0
};

} // namespace rdt
