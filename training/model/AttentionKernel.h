// Scaled dot-product attention over heads, shared by self- and cross-attention. LibTorch
// 2.x has a fused kernel; 1.13 (Debian's) does not, so the math is written out there.
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

namespace rdt {

// q (B, heads, N, head_dim), k and v (B, heads, L, head_dim); mask (B, L) bool, true =
// attend, or absent. Returns (B, heads, N, head_dim).
at::Tensor scaledDotProductAttention(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v,
                                     const std::optional<at::Tensor> &mask);

} // namespace rdt
