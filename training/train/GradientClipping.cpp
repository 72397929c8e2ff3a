// Gradient clipping.
#include "train/GradientClipping.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <cmath>

namespace rdt {

torch::Tensor clipGradientNorm(const std::vector<torch::Tensor> &params, double maxNorm)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> grads;
    for (const auto &param : params) {
        if (param.grad().defined())
            grads.push_back(param.grad());
    }
    if (grads.empty())
        return torch::zeros({});
    const torch::Tensor totalNorm = at::stack(at::_foreach_norm(grads, 2.0)).norm(2);
    if (std::isinf(maxNorm))
        return totalNorm;
    const torch::Tensor scale = (maxNorm / (totalNorm + 1e-6)).clamp_max(1.0);
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
    at::_foreach_mul_(grads, scale);
#else
    for (auto &grad : grads)
        grad.mul_(scale);
#endif
    // The scale stayed on the device: nothing here waited for the GPU.
    return totalNorm;
}

} // namespace rdt
