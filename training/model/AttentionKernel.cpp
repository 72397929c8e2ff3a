// The attention kernel, fused where LibTorch offers it.
#include "model/AttentionKernel.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <cmath>
#include <limits>

namespace rdt {

at::Tensor scaledDotProductAttention(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v,
                                     const std::optional<at::Tensor> &mask)
{
    std::optional<at::Tensor> attnMask;
    if (mask) {
        // (B, L) -> (B, 1, 1, L): the same condition mask for every head and query.
        attnMask = mask->to(torch::kBool).reshape({mask->size(0), 1, 1, mask->size(1)});
    }
#if TORCH_VERSION_MAJOR >= 2
    return at::scaled_dot_product_attention(
        q, k, v, attnMask ? c10::optional<at::Tensor>(*attnMask) : c10::optional<at::Tensor>());
#else
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    at::Tensor attn = torch::matmul(q * scale, k.transpose(-2, -1)); // (B, heads, N, L)
    if (attnMask)
        attn = attn.masked_fill(attnMask->logical_not(), -std::numeric_limits<float>::infinity());
    attn = attn.softmax(-1);
    return torch::matmul(attn, v);
#endif
}

} // namespace rdt
