// SigLIP's self-attention: q, k, v and output projections with biases, softmax over
// head_dim^-0.5-scaled scores, no mask (every patch sees every patch).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace rdt {

class SiglipAttentionImpl : public torch::nn::Module {
public:
    SiglipAttentionImpl(int64_t hidden_size, int64_t num_heads);

    // x (N, T, D) -> (N, T, D)
    torch::Tensor forward(const torch::Tensor &x);

    torch::nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, out_proj{nullptr};

private:
    int64_t m_heads;
};
TORCH_MODULE(SiglipAttention);

} // namespace rdt
