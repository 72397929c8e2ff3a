// Scores one episode's predicted LIBERO actions against its demonstration, and pools
// episodes into per-task and overall figures.
#pragma once

#include "eval/LiberoActionDecoder.h"

#include <vector>

namespace rdt {

struct EpisodeMetrics {
    int steps = 0;
    double mse = 0.0;                                 // mean over steps and the 7 dimensions
    std::array<double, kLiberoActionDims> mse_per_dim{};
    // RDT's sample l2err (train/sample.py): |pred - gt| / (norm + 1e-3), averaged over the
    // valid elements, where norm is the episode's per-dimension root mean square
    // sqrt(mean_t x_t^2) as RDT's HDF5 dataset computes state_norm. RDT's own datasets put
    // the action in the state's slots; LIBERO's actions have slots of their own, so the
    // norm is that of the demonstrated action, over the 7 LIBERO dimensions.
    double l2err = 0.0;
    double gripper_agreement = 0.0;                   // fraction of steps whose open/close matches
};

// predicted and demonstrated have one action per step, the same length (> 0).
EpisodeMetrics scoreEpisode(const std::vector<LiberoAction> &predicted, const std::vector<LiberoAction> &demonstrated);

// Step-weighted means, which equal the figures over all the episodes' steps pooled.
class MetricsPool {
public:
    void add(const EpisodeMetrics &metrics);
    int episodes() const { return m_episodes; }
    EpisodeMetrics mean() const;

private:
    int m_episodes = 0;
    EpisodeMetrics m_sum; // each figure times its episode's steps
};

} // namespace rdt
