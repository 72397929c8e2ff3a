// RDT forward pass and initialisation.
#include "model/Rdt.h"

#include "model/BlockCheckpoint.h"
#include "model/PosEmbed.h"

#include <torch/torch.h>

namespace rdt {

RdtImpl::RdtImpl(const RdtConfig &config) : m_config(config)
{
    const int64_t H = config.hidden_size;
    t_embedder = register_module("t_embedder", TimestepEmbedder(H));
    freq_embedder = register_module("freq_embedder", TimestepEmbedder(H));
    // Tokens [timestep; ctrl_freq; state; action x horizon].
    x_pos_embed = register_parameter("x_pos_embed", torch::zeros({1, config.action_chunk_size + 3, H}));
    lang_cond_pos_embed = register_parameter("lang_cond_pos_embed", torch::zeros({1, config.max_lang_cond_len, H}));
    img_cond_pos_embed = register_parameter("img_cond_pos_embed", torch::zeros({1, config.imgCondLen(), H}));
    blocks = register_module("blocks", torch::nn::ModuleList());
    for (int64_t i = 0; i < config.depth; ++i)
        blocks->push_back(RdtBlock(H, config.num_heads, config.rms_norm));
    final_layer = register_module("final_layer", FinalLayer(H, config.state_dim, config.rms_norm));
    initializeWeights();
}

void RdtImpl::initializeWeights()
{
    torch::NoGradGuard noGrad;
    const int64_t H = m_config.hidden_size;
    for (const auto &module : modules(/*include_self=*/false)) {
        if (auto *linear = module->as<torch::nn::Linear>()) {
            torch::nn::init::xavier_uniform_(linear->weight);
            if (linear->bias.defined())
                torch::nn::init::constant_(linear->bias, 0.0);
        }
    }
    x_pos_embed.copy_(multimodalCondPosEmbed(H, {{"timestep", {1}}, {"ctrl_freq", {1}}, {"state", {1}},
                                                 {"action", {m_config.action_chunk_size}}},
                                             /*embed_modality=*/true)
                          .to(torch::kFloat32).unsqueeze(0));
    // As train.py configures the runner: language and image tokens get no position inside
    // their own sequence (negative sizes), the image grid keeps history x camera.
    lang_cond_pos_embed.copy_(
        multimodalCondPosEmbed(H, {{"lang", {-m_config.max_lang_cond_len}}}, /*embed_modality=*/false)
            .to(torch::kFloat32).unsqueeze(0));
    img_cond_pos_embed.copy_(
        multimodalCondPosEmbed(H, {{"image", {m_config.img_history_size, m_config.num_cameras,
                                              -m_config.img_num_patches}}},
                               /*embed_modality=*/false)
            .to(torch::kFloat32).unsqueeze(0));
    for (TimestepEmbedder embedder : {t_embedder, freq_embedder}) { // holders share the module
        torch::nn::init::normal_(embedder->mlp[0]->as<torch::nn::Linear>()->weight, 0.0, 0.02);
        torch::nn::init::normal_(embedder->mlp[2]->as<torch::nn::Linear>()->weight, 0.0, 0.02);
    }
    torch::nn::init::constant_(final_layer->ffn_final->fc2->weight, 0.0);
    torch::nn::init::constant_(final_layer->ffn_final->fc2->bias, 0.0);
}

torch::Tensor RdtImpl::forward(const torch::Tensor &x, const torch::Tensor &freq, const torch::Tensor &t,
                               const torch::Tensor &lang_c, const torch::Tensor &img_c,
                               const std::optional<torch::Tensor> &lang_mask,
                               const std::optional<torch::Tensor> &img_mask)
{
    torch::Tensor tEmb = t_embedder(t).unsqueeze(1);        // (B, 1, H) or (1, 1, H)
    const torch::Tensor freqEmb = freq_embedder(freq).unsqueeze(1); // (B, 1, H)
    if (tEmb.size(0) == 1)
        tEmb = tEmb.expand({x.size(0), -1, -1});
    torch::Tensor h = torch::cat({tEmb, freqEmb, x}, 1) + x_pos_embed; // (B, T+2, H)
    // Language is of variable length: only the first L rows of its table.
    const torch::Tensor lang = lang_c + lang_cond_pos_embed.slice(1, 0, lang_c.size(1));
    const torch::Tensor img = img_c + img_cond_pos_embed;

    for (size_t i = 0; i < blocks->size(); ++i) {
        // Even blocks attend to language, odd blocks to the images.
        const bool toLang = i % 2 == 0;
        const torch::Tensor &c = toLang ? lang : img;
        const std::optional<torch::Tensor> &mask = toLang ? lang_mask : img_mask;
        auto block = blocks->ptr<RdtBlockImpl>(i);
        if (m_gradientCheckpointing && is_training() && torch::GradMode::is_enabled())
            h = checkpointedBlock(block, h, c, mask);
        else
            h = block->forward(h, c, mask);
    }
    h = final_layer(h);                                            // (B, T+2, out)
    return h.slice(1, h.size(1) - m_config.action_chunk_size);      // (B, horizon, out)
}

} // namespace rdt
