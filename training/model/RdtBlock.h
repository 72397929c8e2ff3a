// One RDT block: pre-norm self-attention, cross-attention to a condition, and an MLP, each
// with a residual. Names: norm1, attn, cross_attn, norm2, ffn, norm3 (the official order).
#pragma once

#include "model/Attention.h"
#include "model/CrossAttention.h"
#include "model/Mlp.h"
#include "model/RmsNorm.h"

#include <optional>

namespace rdt {

class RdtBlockImpl : public torch::nn::Module {
public:
    RdtBlockImpl(int64_t hidden_size, int64_t num_heads, RmsNormKind norm);
    // x (B, T, H), c (B, L, H), mask (B, L) or none -> (B, T, H)
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &c,
                          const std::optional<torch::Tensor> &mask);

    RmsNorm norm1{nullptr};
    Attention attn{nullptr};
    CrossAttention cross_attn{nullptr};
    RmsNorm norm2{nullptr};
    Mlp ffn{nullptr};
    RmsNorm norm3{nullptr};
};
TORCH_MODULE(RdtBlock);

} // namespace rdt
