// Exponential moving average of the weights, RDT's models/ema_model.py: decay
// 1 - (1 + step / inv_gamma)^-power, 0 for the first step, clamped to [min, max]
// (power 0.75, max 0.9999 in base.yaml).
#pragma once

#include "model/RdtConfig.h"
#include "model/RdtRunner.h"

namespace rdt {

class EmaModel {
public:
    // Starts as a copy of `model`'s weights.
    EmaModel(const RdtConfig &config, RdtRunner &model);

    double decayAt(int64_t optimizationStep) const;
    // One update after an optimizer step; counts its own steps as the reference does.
    void step(RdtRunner &model);

    RdtRunner &averaged() { return m_averaged; }
    int64_t optimizationStep() const { return m_optimizationStep; }
    void setOptimizationStep(int64_t step) { m_optimizationStep = step; }

private:
    RdtConfig m_config;
    RdtRunner m_averaged{nullptr};
    int64_t m_optimizationStep = 0;
};

} // namespace rdt
