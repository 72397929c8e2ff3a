// Cross-attention: q from the tokens, kv from the condition split k then v.
#include "model/CrossAttention.h"

#include "model/AttentionKernel.h"

#include <torch/torch.h>

namespace rdt {

CrossAttentionImpl::CrossAttentionImpl(int64_t dim, int64_t num_heads, RmsNormKind norm)
    : m_numHeads(num_heads), m_headDim(dim / num_heads)
{
    q = register_module("q", torch::nn::Linear(torch::nn::LinearOptions(dim, dim).bias(true)));
    kv = register_module("kv", torch::nn::Linear(torch::nn::LinearOptions(dim, dim * 2).bias(true)));
    q_norm = register_module("q_norm", RmsNorm(m_headDim, norm));
    k_norm = register_module("k_norm", RmsNorm(m_headDim, norm));
    proj = register_module("proj", torch::nn::Linear(dim, dim));
}

torch::Tensor CrossAttentionImpl::forward(const torch::Tensor &x, const torch::Tensor &c,
                                          const std::optional<torch::Tensor> &mask)
{
    const int64_t B = x.size(0), N = x.size(1), C = x.size(2), L = c.size(1);
    const torch::Tensor qHeads = q(x).reshape({B, N, m_numHeads, m_headDim}).permute({0, 2, 1, 3});
    // (B, L, 2C) -> (2, B, heads, L, head_dim)
    const torch::Tensor kvHeads = kv(c).reshape({B, L, 2, m_numHeads, m_headDim}).permute({2, 0, 3, 1, 4});
    const torch::Tensor out =
        scaledDotProductAttention(q_norm(qHeads), k_norm(kvHeads[0]), kvHeads[1], mask);
    return proj(out.permute({0, 2, 1, 3}).reshape({B, N, C}));
}

} // namespace rdt
