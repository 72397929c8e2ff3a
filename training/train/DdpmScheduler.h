// The training side of RDT's diffusion: diffusers' DDPMScheduler as RDT configures it
// (1000 steps, squaredcos_cap_v2 betas), used to noise clean action chunks.
#pragma once

#include "model/RdtConfig.h"

#include <ATen/core/Tensor.h>

namespace rdt {

// diffusers' betas for a schedule name, float32 (n,): squaredcos_cap_v2 is the alpha-bar
// cosine of Nichol & Dhariwal with each beta capped at 0.999.
at::Tensor makeBetas(int64_t numTrainTimesteps, const std::string &schedule);

class DdpmScheduler {
public:
    explicit DdpmScheduler(const RdtConfig &config);

    // x0 (B, T, D), noise like x0, timesteps (B,) int64 ->
    // sqrt(abar_t) * x0 + sqrt(1 - abar_t) * noise
    at::Tensor addNoise(const at::Tensor &x0, const at::Tensor &noise, const at::Tensor &timesteps) const;

    int64_t numTrainTimesteps() const { return m_numTrainTimesteps; }
    const at::Tensor &alphasCumprod() const { return m_alphasCumprod; }

private:
    int64_t m_numTrainTimesteps;
    at::Tensor m_alphasCumprod; // (n,) float32, on the CPU
};

} // namespace rdt
