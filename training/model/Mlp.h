// timm's Mlp as RDT configures it: fc1, tanh-approximated GELU, fc2 (no dropout, no norm).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace rdt {

class MlpImpl : public torch::nn::Module {
public:
    MlpImpl(int64_t in_features, int64_t hidden_features, int64_t out_features);
    torch::Tensor forward(const torch::Tensor &x); // (..., in) -> (..., out)

    torch::nn::Linear fc1{nullptr};
    torch::nn::Linear fc2{nullptr};
};
TORCH_MODULE(Mlp);

} // namespace rdt
