// The sampling side of RDT's diffusion: diffusers' DPMSolverMultistepScheduler with its
// defaults as RDT uses it (DPM-Solver++, second order, midpoint, lower-order final step,
// final sigma 0), over the same betas as training. 5 steps: 999, 799, 599, 400, 200.
#pragma once

#include "model/RdtConfig.h"

#include <ATen/core/Tensor.h>

#include <vector>

namespace rdt {

class DpmSolver {
public:
    explicit DpmSolver(const RdtConfig &config);

    // Chooses the timesteps (linspace over the training steps, rounded, descending) and
    // forgets the previous model outputs.
    void setTimesteps(int64_t numInferenceSteps);
    const std::vector<int64_t> &timesteps() const { return m_timesteps; }
    // sigma_t = sqrt((1 - abar_t) / abar_t) per timestep, plus the final 0.
    const std::vector<float> &sigmas() const { return m_sigmas; }

    // One step from timesteps()[stepIndex]: modelOutput is the predicted clean sample (or
    // noise for epsilon prediction), sample the current x_t. Returns x at the next sigma.
    at::Tensor step(const at::Tensor &modelOutput, size_t stepIndex, const at::Tensor &sample);

private:
    at::Tensor toDataPrediction(const at::Tensor &modelOutput, size_t stepIndex, const at::Tensor &sample) const;

    int64_t m_numTrainTimesteps;
    bool m_predictSample;
    std::vector<float> m_trainSigmas; // per training timestep
    std::vector<int64_t> m_timesteps;
    std::vector<float> m_sigmas;
    std::vector<at::Tensor> m_modelOutputs; // the last two data predictions
    int m_lowerOrderNums = 0;
};

} // namespace rdt
