// timm's Attention as RDT builds it: bidirectional self-attention with a biased qkv
// projection and per-head RMSNorm on q and k. Names: qkv, q_norm, k_norm, proj.
#pragma once

#include "model/RmsNorm.h"

#include <torch/nn/modules/linear.h>

namespace rdt {

class AttentionImpl : public torch::nn::Module {
public:
    AttentionImpl(int64_t dim, int64_t num_heads, RmsNormKind norm);
    torch::Tensor forward(const torch::Tensor &x); // (B, N, C) -> (B, N, C)

    torch::nn::Linear qkv{nullptr};
    RmsNorm q_norm{nullptr};
    RmsNorm k_norm{nullptr};
    torch::nn::Linear proj{nullptr};

private:
    int64_t m_numHeads;
    int64_t m_headDim;
};
TORCH_MODULE(Attention);

} // namespace rdt
