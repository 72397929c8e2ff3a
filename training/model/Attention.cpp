// Self-attention: qkv split into q, k, v thirds, then heads.
#include "model/Attention.h"

#include "model/AttentionKernel.h"

#include <torch/torch.h>

namespace rdt {

AttentionImpl::AttentionImpl(int64_t dim, int64_t num_heads, RmsNormKind norm)
    : m_numHeads(num_heads), m_headDim(dim / num_heads)
{
    // Registration order follows timm so parameters() iterates as in Python.
    qkv = register_module("qkv", torch::nn::Linear(torch::nn::LinearOptions(dim, dim * 3).bias(true)));
    q_norm = register_module("q_norm", RmsNorm(m_headDim, norm));
    k_norm = register_module("k_norm", RmsNorm(m_headDim, norm));
    proj = register_module("proj", torch::nn::Linear(dim, dim));
}

torch::Tensor AttentionImpl::forward(const torch::Tensor &x)
{
    const int64_t B = x.size(0), N = x.size(1), C = x.size(2);
    // (B, N, 3C) -> (3, B, heads, N, head_dim): the channel axis splits as q|k|v first.
    const torch::Tensor qkvHeads =
        qkv(x).reshape({B, N, 3, m_numHeads, m_headDim}).permute({2, 0, 3, 1, 4});
    const torch::Tensor q = q_norm(qkvHeads[0]);
    const torch::Tensor k = k_norm(qkvHeads[1]);
    const torch::Tensor v = qkvHeads[2];
    const torch::Tensor out = scaledDotProductAttention(q, k, v, std::nullopt); // (B, heads, N, hd)
    return proj(out.transpose(1, 2).reshape({B, N, C}));
}

} // namespace rdt
