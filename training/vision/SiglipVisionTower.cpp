// SigLIP vision transformer forward.
#include "vision/SiglipVisionTower.h"

#include "model/TrainerError.h"
#include "vision/SiglipEncoderLayer.h"

#include <torch/torch.h>

namespace rdt {

SiglipVisionTowerImpl::SiglipVisionTowerImpl(const SiglipVisionConfig &c) : m_config(c)
{
    auto embeddings = register_module("embeddings", std::make_shared<torch::nn::Module>());
    patch_embedding = embeddings->register_module("patch_embedding",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(c.num_channels, c.hidden_size, c.patch_size).stride(c.patch_size)));
    position_embedding = embeddings->register_module("position_embedding",
        torch::nn::Embedding(c.numPatches(), c.hidden_size));
    auto encoder = register_module("encoder", std::make_shared<torch::nn::Module>());
    layers = encoder->register_module("layers", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.num_hidden_layers; ++i)
        layers->push_back(SiglipEncoderLayer(c));
    post_layernorm = register_module("post_layernorm",
        torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
}

torch::Tensor SiglipVisionTowerImpl::forward(const torch::Tensor &pixel_values)
{
    if (pixel_values.dim() != 4 || pixel_values.size(1) != m_config.num_channels ||
        pixel_values.size(2) != m_config.image_size || pixel_values.size(3) != m_config.image_size)
        throw TrainerError("SigLIP: pixel_values must be (N, 3, " + std::to_string(m_config.image_size) + ", " +
                           std::to_string(m_config.image_size) + "), got " + c10::str(pixel_values.sizes()));
    const torch::Tensor pixels = pixel_values.to(patch_embedding->weight.scalar_type());
    torch::Tensor x = patch_embedding(pixels).flatten(2).transpose(1, 2); // (N, patches, D)
    x = x + position_embedding->weight.unsqueeze(0);
    for (const auto &layer : *layers)
        x = layer->as<SiglipEncoderLayer>()->forward(x);
    return post_layernorm(x);
}

} // namespace rdt
