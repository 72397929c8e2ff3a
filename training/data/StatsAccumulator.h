// Streaming min/max/mean/std of a series of 128-d unified vectors with RDT's formulas
// (data/compute_dataset_stat_hdf5.py): the std treats |x| <= 1e-8 as absent, so slots a
// dataset never fills get std 0 and sparse slots are not shrunk towards 0.
#pragma once

#include "data/Layout.h"

#include <array>
#include <cstdint>

namespace rdt::data {

struct VectorStats {
    std::array<double, kStateDim> mean{};
    std::array<double, kStateDim> std{};
    std::array<double, kStateDim> min{};
    std::array<double, kStateDim> max{};
};

class StatsAccumulator {
public:
    void add(const float* vector);
    int64_t count() const { return m_count; }
    VectorStats finish() const;  // all zero when nothing was added

private:
    std::array<double, kStateDim> m_sum{};
    std::array<double, kStateDim> m_nonzeroSum{};
    std::array<double, kStateDim> m_nonzeroSumSquares{};
    std::array<int64_t, kStateDim> m_nonzeroCount{};
    std::array<double, kStateDim> m_min{};
    std::array<double, kStateDim> m_max{};
    int64_t m_count = 0;
};

}  // namespace rdt::data
