// One pre-norm SigLIP encoder layer: x + attn(LN1(x)), then x + mlp(LN2(x)).
#pragma once

#include "vision/SiglipAttention.h"
#include "vision/SiglipConfig.h"
#include "vision/SiglipMlp.h"

#include <torch/nn/modules/normalization.h>

namespace rdt {

class SiglipEncoderLayerImpl : public torch::nn::Module {
public:
    explicit SiglipEncoderLayerImpl(const SiglipVisionConfig &config);

    torch::Tensor forward(const torch::Tensor &x);

    torch::nn::LayerNorm layer_norm1{nullptr}, layer_norm2{nullptr};
    SiglipAttention self_attn{nullptr};
    SiglipMlp mlp{nullptr};
};
TORCH_MODULE(SiglipEncoderLayer);

} // namespace rdt
