// TensorBoard's debiased exponential moving average (its scalar dashboard's smoothing).
#include "DebiasedEma.h"

#include <algorithm>
#include <cmath>

namespace rdt {

DebiasedEma::DebiasedEma(double weight) : m_weight(std::clamp(weight, 0.0, 0.999)) {}

void DebiasedEma::reset()
{
    m_last = 0;
    m_decay = 1;
}

double DebiasedEma::add(double value)
{
    if (!std::isfinite(value))
        return value;
    m_last = m_last * m_weight + (1 - m_weight) * value;
    m_decay *= m_weight;
    // With weight 0 the decay is 0 at once and the debias factor is 1: the raw value.
    return m_last / (1 - m_decay);
}

std::vector<double> DebiasedEma::smooth(const std::vector<double> &values, double weight)
{
    DebiasedEma ema(weight);
    std::vector<double> smoothed;
    smoothed.reserve(values.size());
    for (double value : values)
        smoothed.push_back(ema.add(value));
    return smoothed;
}

} // namespace rdt
