// DDPM betas and forward noising, numerically as diffusers computes them (betas in
// float64, then float32 for the cumulative product).
#include "train/DdpmScheduler.h"

#include "model/TrainerError.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace rdt {
namespace {

// diffusers' defaults for the linear schedules (DDPM paper values).
constexpr double kBetaStart = 0.0001;
constexpr double kBetaEnd = 0.02;
// betas_for_alpha_bar caps every beta so the last steps stay invertible.
constexpr double kMaxBeta = 0.999;

double cosineAlphaBar(double t)
{
    return std::pow(std::cos((t + 0.008) / 1.008 * M_PI / 2.0), 2.0);
}

} // namespace

at::Tensor makeBetas(int64_t n, const std::string &schedule)
{
    if (schedule == "squaredcos_cap_v2") {
        std::vector<double> betas(n);
        for (int64_t i = 0; i < n; ++i) {
            const double t1 = static_cast<double>(i) / n, t2 = static_cast<double>(i + 1) / n;
            betas[i] = std::min(1.0 - cosineAlphaBar(t2) / cosineAlphaBar(t1), kMaxBeta);
        }
        return torch::tensor(betas, torch::kFloat64).to(torch::kFloat32);
    }
    if (schedule == "linear")
        return torch::linspace(kBetaStart, kBetaEnd, n, torch::kFloat32);
    if (schedule == "scaled_linear")
        return torch::linspace(std::sqrt(kBetaStart), std::sqrt(kBetaEnd), n, torch::kFloat32).pow(2);
    throw TrainerError("noise scheduler: beta_schedule '" + schedule + "' is not supported");
}

DdpmScheduler::DdpmScheduler(const RdtConfig &config) : m_numTrainTimesteps(config.num_train_timesteps)
{
    const torch::Tensor alphas = 1.0 - makeBetas(m_numTrainTimesteps, config.beta_schedule);
    m_alphasCumprod = torch::cumprod(alphas, 0);
}

at::Tensor DdpmScheduler::addNoise(const at::Tensor &x0, const at::Tensor &noise, const at::Tensor &timesteps) const
{
    const torch::Tensor abar = m_alphasCumprod.to(x0.device()).index_select(0, timesteps.to(x0.device())).to(x0.scalar_type());
    // (B,) -> (B, 1, 1) to broadcast over the chunk.
    std::vector<int64_t> shape(x0.dim(), 1);
    shape[0] = -1;
    const torch::Tensor sqrtAlpha = abar.sqrt().reshape(shape);
    const torch::Tensor sqrtOneMinus = (1.0 - abar).sqrt().reshape(shape);
    return sqrtAlpha * x0 + sqrtOneMinus * noise;
}

} // namespace rdt
