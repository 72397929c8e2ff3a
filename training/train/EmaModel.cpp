// EMA of the runner's parameters.
#include "train/EmaModel.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace rdt {

EmaModel::EmaModel(const RdtConfig &config, RdtRunner &model) : m_config(config), m_averaged(config)
{
    torch::NoGradGuard noGrad;
    const auto source = model->parameters();
    auto target = m_averaged->parameters();
    for (size_t i = 0; i < source.size(); ++i) {
        target[i].set_requires_grad(false);
        target[i].copy_(source[i]);
    }
    m_averaged->to(source.front().device());
    m_averaged->eval();
}

double EmaModel::decayAt(int64_t optimizationStep) const
{
    const double step = static_cast<double>(std::max<int64_t>(0, optimizationStep - m_config.ema_update_after_step - 1));
    if (step <= 0)
        return 0.0;
    const double value = 1.0 - std::pow(1.0 + step / m_config.ema_inv_gamma, -m_config.ema_power);
    return std::max(m_config.ema_min_value, std::min(value, m_config.ema_max_value));
}

void EmaModel::step(RdtRunner &model)
{
    torch::NoGradGuard noGrad;
    const double decay = decayAt(m_optimizationStep);
    const auto source = model->parameters();
    auto target = m_averaged->parameters();
    // One multi-tensor update for the trained weights (a few kernels instead of two per
    // parameter on a GPU); frozen ones are copied.
    std::vector<torch::Tensor> averaged, current;
    for (size_t i = 0; i < source.size(); ++i) {
        if (!source[i].requires_grad()) {
            target[i].copy_(source[i]);
            continue;
        }
        averaged.push_back(target[i]);
        current.push_back(source[i].detach().to(target[i].scalar_type()));
    }
    if (!averaged.empty()) {
        at::_foreach_mul_(averaged, decay);
        at::_foreach_add_(averaged, current, 1.0 - decay);
    }
    ++m_optimizationStep;
}

} // namespace rdt
