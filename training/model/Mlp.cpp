// Mlp: fc1 -> GELU(tanh) -> fc2.
#include "model/Mlp.h"

#include <torch/torch.h>

namespace rdt {

MlpImpl::MlpImpl(int64_t in_features, int64_t hidden_features, int64_t out_features)
{
    fc1 = register_module("fc1", torch::nn::Linear(in_features, hidden_features));
    fc2 = register_module("fc2", torch::nn::Linear(hidden_features, out_features));
}

torch::Tensor MlpImpl::forward(const torch::Tensor &x)
{
    return fc2(torch::gelu(fc1(x), "tanh"));
}

} // namespace rdt
