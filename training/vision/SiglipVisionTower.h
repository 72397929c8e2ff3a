// SigLIP's vision transformer as transformers' SiglipVisionModel computes last_hidden_state:
// a patch_size-strided convolution, a learned position table, the encoder layers and a
// final LayerNorm. Parameter names are the checkpoint's without "vision_model." (the
// attention-pooling head is not part of it: RDT uses the patch tokens).
#pragma once

#include "vision/SiglipConfig.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace rdt {

class SiglipVisionTowerImpl : public torch::nn::Module {
public:
    explicit SiglipVisionTowerImpl(const SiglipVisionConfig &config);

    // pixel_values (N, 3, S, S) normalised -> last_hidden_state (N, patches, hidden)
    torch::Tensor forward(const torch::Tensor &pixel_values);

    const SiglipVisionConfig &config() const { return m_config; }

    // Registered as embeddings.{patch_embedding, position_embedding}, encoder.layers.i,
    // post_layernorm: the checkpoint's nesting.
    torch::nn::Conv2d patch_embedding{nullptr};
    torch::nn::Embedding position_embedding{nullptr};
    torch::nn::ModuleList layers{nullptr};
    torch::nn::LayerNorm post_layernorm{nullptr};

private:
    SiglipVisionConfig m_config;
};
TORCH_MODULE(SiglipVisionTower);

} // namespace rdt
