// SigLIP self-attention over the shared attention kernel.
#include "vision/SiglipAttention.h"

#include "model/AttentionKernel.h"

#include <torch/torch.h>

namespace rdt {

SiglipAttentionImpl::SiglipAttentionImpl(int64_t hidden_size, int64_t num_heads) : m_heads(num_heads)
{
    q_proj = register_module("q_proj", torch::nn::Linear(hidden_size, hidden_size));
    k_proj = register_module("k_proj", torch::nn::Linear(hidden_size, hidden_size));
    v_proj = register_module("v_proj", torch::nn::Linear(hidden_size, hidden_size));
    out_proj = register_module("out_proj", torch::nn::Linear(hidden_size, hidden_size));
}

torch::Tensor SiglipAttentionImpl::forward(const torch::Tensor &x)
{
    const int64_t N = x.size(0), T = x.size(1), D = x.size(2);
    const auto heads = [&](const torch::Tensor &t) { return t.view({N, T, m_heads, D / m_heads}).transpose(1, 2); };
    const torch::Tensor out = scaledDotProductAttention(heads(q_proj(x)), heads(k_proj(x)), heads(v_proj(x)),
                                                        std::nullopt);
    return out_proj(out.transpose(1, 2).reshape({N, T, D}));
}

} // namespace rdt
