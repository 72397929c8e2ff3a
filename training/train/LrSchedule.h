// Learning-rate schedules with linear warmup, as diffusers' get_scheduler builds them for
// RDT's --lr_scheduler: constant, cosine (half a cosine to 0), linear (to 0).
#pragma once

#include <cstdint>
#include <string>

namespace rdt {

class LrSchedule {
public:
    // Throws TrainerError for an unknown name.
    LrSchedule(const std::string &name, double baseLr, int64_t warmupSteps, int64_t totalSteps);

    // The learning rate for optimizer step `step` (0-based, the step about to be taken).
    double at(int64_t step) const;

private:
    enum class Kind { Constant, Cosine, Linear };
    Kind m_kind;
    double m_baseLr;
    int64_t m_warmup;
    int64_t m_total;
};

} // namespace rdt
