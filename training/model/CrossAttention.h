// RDT's CrossAttention: the action tokens attend to the condition tokens (language or
// image), with per-head RMSNorm on q and k and an optional condition mask. Names: q, kv,
// q_norm, k_norm, proj.
#pragma once

#include "model/RmsNorm.h"

#include <torch/nn/modules/linear.h>

#include <optional>

namespace rdt {

class CrossAttentionImpl : public torch::nn::Module {
public:
    CrossAttentionImpl(int64_t dim, int64_t num_heads, RmsNormKind norm);
    // x (B, N, C), c (B, L, C), mask (B, L) true = valid -> (B, N, C)
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &c,
                          const std::optional<torch::Tensor> &mask);

    torch::nn::Linear q{nullptr};
    torch::nn::Linear kv{nullptr};
    RmsNorm q_norm{nullptr};
    RmsNorm k_norm{nullptr};
    torch::nn::Linear proj{nullptr};

private:
    int64_t m_numHeads;
    int64_t m_headDim;
};
TORCH_MODULE(CrossAttention);

} // namespace rdt
