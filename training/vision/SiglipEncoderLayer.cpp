// SigLIP encoder layer.
#include "vision/SiglipEncoderLayer.h"

#include <torch/torch.h>

namespace rdt {

SiglipEncoderLayerImpl::SiglipEncoderLayerImpl(const SiglipVisionConfig &c)
{
    const auto norm = torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps);
    layer_norm1 = register_module("layer_norm1", torch::nn::LayerNorm(norm));
    self_attn = register_module("self_attn", SiglipAttention(c.hidden_size, c.num_attention_heads));
    layer_norm2 = register_module("layer_norm2", torch::nn::LayerNorm(norm));
    mlp = register_module("mlp", SiglipMlp(c.hidden_size, c.intermediate_size));
}

torch::Tensor SiglipEncoderLayerImpl::forward(const torch::Tensor &x)
{
    const torch::Tensor h = x + self_attn(layer_norm1(x));
    return h + mlp(layer_norm2(h));
}

} // namespace rdt
