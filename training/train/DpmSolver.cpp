// DPM-Solver++ (Lu et al. 2022) multistep updates in diffusers' float32 arithmetic.
#include "train/DpmSolver.h"

#include "model/TrainerError.h"
#include "train/DdpmScheduler.h"

#include <torch/torch.h>

#include <cmath>

namespace rdt {
namespace {

// diffusers' solver_order default, which RDT keeps.
constexpr int kSolverOrder = 2;

struct AlphaSigma {
    float alpha;
    float sigma;
    float lambda; // log(alpha) - log(sigma)
};

AlphaSigma alphaSigma(float sigma)
{
    const float alpha = 1.0f / std::sqrt(sigma * sigma + 1.0f);
    const float s = sigma * alpha;
    return {alpha, s, std::log(alpha) - std::log(s)};
}

} // namespace

DpmSolver::DpmSolver(const RdtConfig &config)
    : m_numTrainTimesteps(config.num_train_timesteps), m_predictSample(config.prediction_type == "sample")
{
    const torch::Tensor abar = torch::cumprod(1.0 - makeBetas(m_numTrainTimesteps, config.beta_schedule), 0);
    const torch::Tensor sigmas = ((1.0 - abar) / abar).pow(0.5).contiguous();
    m_trainSigmas.assign(sigmas.data_ptr<float>(), sigmas.data_ptr<float>() + sigmas.numel());
    setTimesteps(config.num_inference_timesteps);
}

void DpmSolver::setTimesteps(int64_t n)
{
    if (n <= 0 || n > m_numTrainTimesteps)
        throw TrainerError("DPM-Solver: " + std::to_string(n) + " inference steps for " +
                           std::to_string(m_numTrainTimesteps) + " training steps");
    // np.linspace(0, T - 1, n + 1).round()[::-1][:-1]; numpy rounds half to even.
    m_timesteps.clear();
    for (int64_t i = n; i >= 1; --i) {
        const double value = static_cast<double>(m_numTrainTimesteps - 1) * i / n;
        m_timesteps.push_back(static_cast<int64_t>(std::nearbyint(value)));
    }
    m_sigmas.clear();
    for (int64_t t : m_timesteps)
        m_sigmas.push_back(m_trainSigmas[t]);
    m_sigmas.push_back(0.0f); // final_sigmas_type "zero": the last step lands on the data
    m_modelOutputs.clear();
    m_lowerOrderNums = 0;
}

at::Tensor DpmSolver::toDataPrediction(const at::Tensor &modelOutput, size_t stepIndex, const at::Tensor &sample) const
{
    if (m_predictSample)
        return modelOutput;
    // epsilon: x0 = (x_t - sigma_t * eps) / alpha_t
    const AlphaSigma s = alphaSigma(m_sigmas[stepIndex]);
    return (sample - s.sigma * modelOutput) / s.alpha;
}

at::Tensor DpmSolver::step(const at::Tensor &modelOutput, size_t stepIndex, const at::Tensor &sample)
{
    if (stepIndex >= m_timesteps.size())
        throw TrainerError("DPM-Solver: step " + std::to_string(stepIndex) + " past the schedule");
    const torch::Tensor x = sample.to(torch::kFloat32);
    const torch::Tensor x0 = toDataPrediction(modelOutput.to(torch::kFloat32), stepIndex, x);
    m_modelOutputs.push_back(x0);
    if (m_modelOutputs.size() > kSolverOrder)
        m_modelOutputs.erase(m_modelOutputs.begin());

    const bool last = stepIndex == m_timesteps.size() - 1;
    // diffusers steps down to first order at the end: always with final sigma 0.
    const bool lowerOrderFinal = last;
    const float sigmaNext = m_sigmas[stepIndex + 1];
    torch::Tensor prev;
    if (sigmaNext == 0.0f) {
        // alpha = 1, sigma = 0, h = inf: the first-order update reduces to the data prediction.
        prev = x0;
    } else {
        const AlphaSigma t = alphaSigma(sigmaNext);
        const AlphaSigma s0 = alphaSigma(m_sigmas[stepIndex]);
        const float h = t.lambda - s0.lambda;
        const float expm = std::exp(-h) - 1.0f;
        if (m_lowerOrderNums < 1 || lowerOrderFinal || m_modelOutputs.size() < 2) {
            prev = (t.sigma / s0.sigma) * x - (t.alpha * expm) * x0;
        } else {
            // Second order, midpoint: D1 = (m0 - m1) / r0 with r0 = h_0 / h.
            const AlphaSigma s1 = alphaSigma(m_sigmas[stepIndex - 1]);
            const float h0 = s0.lambda - s1.lambda;
            const float r0 = h0 / h;
            const torch::Tensor &m0 = m_modelOutputs[1], &m1 = m_modelOutputs[0];
            const torch::Tensor d1 = (1.0f / r0) * (m0 - m1);
            prev = (t.sigma / s0.sigma) * x - (t.alpha * expm) * m0 - 0.5f * (t.alpha * expm) * d1;
        }
    }
    if (m_lowerOrderNums < kSolverOrder)
        ++m_lowerOrderNums;
    return prev.to(modelOutput.scalar_type());
}

} // namespace rdt
