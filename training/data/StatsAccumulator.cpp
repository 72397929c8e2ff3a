// RDT's process_hdf5_dataset, one vector at a time, in double precision.
#include "data/StatsAccumulator.h"

#include <algorithm>
#include <cmath>

namespace rdt::data {
namespace {

// RDT's EPS: values this close to zero count as "slot not filled".
constexpr double kZeroEpsilon = 1e-8;

}  // namespace

void StatsAccumulator::add(const float* vector)
{
    for (int i = 0; i < kStateDim; ++i) {
        const double x = vector[i];
        m_sum[i] += x;
        if (std::abs(x) > kZeroEpsilon) {
            m_nonzeroSum[i] += x;
            m_nonzeroSumSquares[i] += x * x;
            ++m_nonzeroCount[i];
        }
        m_min[i] = m_count == 0 ? x : std::min(m_min[i], x);
        m_max[i] = m_count == 0 ? x : std::max(m_max[i], x);
    }
    ++m_count;
}

VectorStats StatsAccumulator::finish() const
{
    VectorStats stats;
    if (m_count == 0)
        return stats;
    const double count = static_cast<double>(m_count);
    for (int i = 0; i < kStateDim; ++i) {
        // np.maximum(nz_cnt, 1) avoids dividing by zero for never-filled slots.
        const double nonzero = static_cast<double>(std::max<int64_t>(m_nonzeroCount[i], 1));
        const double mean = m_nonzeroSum[i] / count;
        const double variance =
            m_nonzeroSumSquares[i] / nonzero - mean * mean * (count / nonzero);
        stats.mean[i] = m_sum[i] / count;
        stats.std[i] = std::sqrt(std::max(variance, 0.0));
        stats.min[i] = m_min[i];
        stats.max[i] = m_max[i];
    }
    return stats;
}

}  // namespace rdt::data
