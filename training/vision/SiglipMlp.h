// SigLIP's feed-forward block: fc1, tanh-approximated GELU, fc2.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace rdt {

class SiglipMlpImpl : public torch::nn::Module {
public:
    SiglipMlpImpl(int64_t hidden_size, int64_t intermediate_size);

    torch::Tensor forward(const torch::Tensor &x);

    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(SiglipMlp);

} // namespace rdt
