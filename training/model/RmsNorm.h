// RMSNorm as RDT uses it (timm's RmsNorm, eps 1e-6), for whole tokens and for per-head
// q/k normalisation. Parameter: weight [dim], initialised to ones.
#pragma once

#include "model/RdtConfig.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace rdt {

// timm 1.0.3's RmsNorm and RDT's blocks both use this epsilon.
constexpr double kRmsNormEps = 1e-6;

class RmsNormImpl : public torch::nn::Module {
public:
    RmsNormImpl(int64_t dim, RmsNormKind kind, double eps = kRmsNormEps);
    torch::Tensor forward(const torch::Tensor &x); // (..., dim) -> (..., dim)

    torch::Tensor weight;

private:
    RmsNormKind m_kind;
    double m_eps;
};
TORCH_MODULE(RmsNorm);

} // namespace rdt
