// RMSNorm: the timm formula (unbiased variance) by default, the true RMS when selected.
#include "model/RmsNorm.h"

#include <torch/torch.h>

namespace rdt {

RmsNormImpl::RmsNormImpl(int64_t dim, RmsNormKind kind, double eps) : m_kind(kind), m_eps(eps)
{
    weight = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor RmsNormImpl::forward(const torch::Tensor &x)
{
    // timm's fast_norm.rms_norm: torch.var(x, dim=-1, keepdim=True), i.e. the unbiased,
    // mean-centred variance, not the mean of squares. The official weights were trained
    // with it, so it is the default.
    const torch::Tensor second = m_kind == RmsNormKind::TimmVariance
        ? x.var(-1, /*unbiased=*/true, /*keepdim=*/true)
        : x.pow(2).mean(-1, /*keepdim=*/true);
    return x * torch::rsqrt(second + m_eps) * weight;
}

} // namespace rdt
