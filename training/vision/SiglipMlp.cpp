// SigLIP MLP.
#include "vision/SiglipMlp.h"

#include <torch/torch.h>

namespace rdt {

SiglipMlpImpl::SiglipMlpImpl(int64_t hidden_size, int64_t intermediate_size)
{
    fc1 = register_module("fc1", torch::nn::Linear(hidden_size, intermediate_size));
    fc2 = register_module("fc2", torch::nn::Linear(intermediate_size, hidden_size));
}

torch::Tensor SiglipMlpImpl::forward(const torch::Tensor &x)
{
    return fc2(torch::gelu(fc1(x), "tanh"));
}

} // namespace rdt
