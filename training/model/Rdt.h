// RDT, the diffusion transformer of models/rdt/model.py: timestep and control-frequency
// tokens, the state token and the noisy action chunk, position tables, alternating
// language/image cross-attention blocks and the final layer.
#pragma once

#include "model/FinalLayer.h"
#include "model/RdtBlock.h"
#include "model/RdtConfig.h"
#include "model/TimestepEmbedder.h"

#include <torch/nn/modules/container/modulelist.h>

#include <optional>

namespace rdt {

class RdtImpl : public torch::nn::Module {
public:
    explicit RdtImpl(const RdtConfig &config);

    // x (B, 1 + horizon, H): the adapted state token then the adapted noisy actions;
    // freq (B,) control frequency in Hz; t (B,) or (1,) diffusion step; lang_c (B, L, H),
    // img_c (B, I, H) adapted conditions; lang_mask / img_mask (B, L) / (B, I) true = valid.
    // Returns (B, horizon, output_dim), the prediction for the action tokens only.
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &freq, const torch::Tensor &t,
                          const torch::Tensor &lang_c, const torch::Tensor &img_c,
                          const std::optional<torch::Tensor> &lang_mask,
                          const std::optional<torch::Tensor> &img_mask);

    // The official initialize_weights: xavier-uniform Linear weights with zero bias,
    // sin-cos position tables, N(0, 0.02) embedder MLPs, zero final projection.
    void initializeWeights();

    // Recompute each block's activations in the backward pass instead of keeping them.
    void setGradientCheckpointing(bool enabled) { m_gradientCheckpointing = enabled; }

    TimestepEmbedder t_embedder{nullptr};
    TimestepEmbedder freq_embedder{nullptr};
    torch::Tensor x_pos_embed;         // (1, horizon + 3, H)
    torch::Tensor lang_cond_pos_embed; // (1, max_lang_cond_len, H)
    torch::Tensor img_cond_pos_embed;  // (1, img_cond_len, H)
    torch::nn::ModuleList blocks{nullptr};
    FinalLayer final_layer{nullptr};

private:
    RdtConfig m_config;
    bool m_gradientCheckpointing = false;
};
TORCH_MODULE(Rdt);

} // namespace rdt
