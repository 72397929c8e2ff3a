// Warmup then constant / cosine / linear decay (transformers' lambdas, num_cycles 0.5).
#include "train/LrSchedule.h"

#include "model/TrainerError.h"

#include <algorithm>
#include <cmath>

namespace rdt {

LrSchedule::LrSchedule(const std::string &name, double baseLr, int64_t warmupSteps, int64_t totalSteps)
    : m_baseLr(baseLr), m_warmup(std::max<int64_t>(0, warmupSteps)), m_total(std::max<int64_t>(1, totalSteps))
{
    if (name == "constant" || name == "constant_with_warmup")
        m_kind = Kind::Constant;
    else if (name == "cosine")
        m_kind = Kind::Cosine;
    else if (name == "linear")
        m_kind = Kind::Linear;
    else
        throw TrainerError("--lr_scheduler: '" + name + "' is not one of constant, cosine, linear");
}

double LrSchedule::at(int64_t step) const
{
    if (step < m_warmup)
        return m_baseLr * static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, m_warmup));
    if (m_kind == Kind::Constant)
        return m_baseLr;
    const double progress = static_cast<double>(step - m_warmup) /
                            static_cast<double>(std::max<int64_t>(1, m_total - m_warmup));
    if (m_kind == Kind::Linear)
        return m_baseLr * std::max(0.0, 1.0 - progress);
    return m_baseLr * std::max(0.0, 0.5 * (1.0 + std::cos(M_PI * progress)));
}

} // namespace rdt
