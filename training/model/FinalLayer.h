// RDT's FinalLayer: norm_final, then ffn_final (fc1 H->H, tanh-GELU, fc2 H->output_dim).
#pragma once

#include "model/Mlp.h"
#include "model/RmsNorm.h"

namespace rdt {

class FinalLayerImpl : public torch::nn::Module {
public:
    FinalLayerImpl(int64_t hidden_size, int64_t out_channels, RmsNormKind norm);
    torch::Tensor forward(const torch::Tensor &x); // (B, T, H) -> (B, T, out)

    RmsNorm norm_final{nullptr};
    Mlp ffn_final{nullptr};
};
TORCH_MODULE(FinalLayer);

} // namespace rdt
