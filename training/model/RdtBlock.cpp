// RDT block: x += attn(norm1(x)); x += cross_attn(norm2(x), c, mask); x += ffn(norm3(x)).
#include "model/RdtBlock.h"

#include <torch/torch.h>

namespace rdt {

RdtBlockImpl::RdtBlockImpl(int64_t hidden_size, int64_t num_heads, RmsNormKind norm)
{
    norm1 = register_module("norm1", RmsNorm(hidden_size, norm));
    attn = register_module("attn", Attention(hidden_size, num_heads, norm));
    cross_attn = register_module("cross_attn", CrossAttention(hidden_size, num_heads, norm));
    norm2 = register_module("norm2", RmsNorm(hidden_size, norm));
    ffn = register_module("ffn", Mlp(hidden_size, hidden_size, hidden_size));
    norm3 = register_module("norm3", RmsNorm(hidden_size, norm));
}

torch::Tensor RdtBlockImpl::forward(const torch::Tensor &x, const torch::Tensor &c,
                                    const std::optional<torch::Tensor> &mask)
{
    torch::Tensor h = x + attn(norm1(x));
    h = h + cross_attn(norm2(h), c, mask);
    return h + ffn(norm3(h));
}

} // namespace rdt
