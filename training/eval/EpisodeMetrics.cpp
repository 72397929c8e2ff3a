// MSE, RDT's normalised L2 and gripper agreement over an episode's steps.
#include "eval/EpisodeMetrics.h"

#include <cassert>
#include <cmath>

namespace rdt {

// RDT adds this to the norm so a dimension that never moves does not divide by zero.
constexpr double kNormEpsilon = 1e-3;

EpisodeMetrics scoreEpisode(const std::vector<LiberoAction> &predicted, const std::vector<LiberoAction> &demonstrated)
{
    assert(predicted.size() == demonstrated.size() && !predicted.empty());
    EpisodeMetrics m;
    m.steps = static_cast<int>(predicted.size());
    const double steps = static_cast<double>(m.steps);
    std::array<double, kLiberoActionDims> norm{};
    for (const LiberoAction &a : demonstrated)
        for (int d = 0; d < kLiberoActionDims; ++d)
            norm[d] += static_cast<double>(a[d]) * a[d];
    for (double &n : norm)
        n = std::sqrt(n / steps);
    double l2 = 0.0;
    int agreeing = 0;
    for (size_t t = 0; t < predicted.size(); ++t) {
        for (int d = 0; d < kLiberoActionDims; ++d) {
            const double error = static_cast<double>(predicted[t][d]) - demonstrated[t][d];
            m.mse_per_dim[d] += error * error;
            l2 += std::fabs(error) / (norm[d] + kNormEpsilon);
        }
        agreeing += gripperCloses(predicted[t][6]) == gripperCloses(demonstrated[t][6]) ? 1 : 0;
    }
    for (double &value : m.mse_per_dim) {
        value /= steps;
        m.mse += value / kLiberoActionDims;
    }
    m.l2err = l2 / (steps * kLiberoActionDims);
    m.gripper_agreement = agreeing / steps;
    return m;
}

void MetricsPool::add(const EpisodeMetrics &metrics)
{
    const double w = metrics.steps;
    ++m_episodes;
    m_sum.steps += metrics.steps;
    m_sum.mse += w * metrics.mse;
    m_sum.l2err += w * metrics.l2err;
    m_sum.gripper_agreement += w * metrics.gripper_agreement;
    for (int d = 0; d < kLiberoActionDims; ++d)
        m_sum.mse_per_dim[d] += w * metrics.mse_per_dim[d];
}

EpisodeMetrics MetricsPool::mean() const
{
    EpisodeMetrics m;
    m.steps = m_sum.steps;
    if (m_sum.steps == 0)
        return m;
    const double w = m_sum.steps;
    m.mse = m_sum.mse / w;
    m.l2err = m_sum.l2err / w;
    m.gripper_agreement = m_sum.gripper_agreement / w;
    for (int d = 0; d < kLiberoActionDims; ++d)
        m.mse_per_dim[d] = m_sum.mse_per_dim[d] / w;
    return m;
}

} // namespace rdt
