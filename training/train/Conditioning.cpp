// Batch -> RunnerInputs.
#include "train/Conditioning.h"

#include <torch/torch.h>

namespace rdt {

ConditioningImpl::ConditioningImpl(const RdtConfig &config, int64_t imageHeight, int64_t imageWidth,
                                   const NamedTensors &langEmbeddings)
{
    img_encoder = register_module("img_encoder",
        ImageEncoder(imageHeight, imageWidth, config.img_num_patches, config.img_token_dim));
    lang_encoder = register_module("lang_encoder",
        LanguageEncoder(config.lang_token_dim, config.max_lang_cond_len, langEmbeddings));
}

RunnerInputs ConditioningImpl::encode(const data::Batch &batch, const torch::Device &device)
{
    RunnerInputs in;
    std::tie(in.lang_tokens, in.lang_mask) = lang_encoder->forward(batch.instructions, device);
    in.img_tokens = img_encoder(batch.images.to(device));
    in.state_tokens = batch.states.to(device);
    in.action_mask = batch.state_elem_mask.to(device);
    in.ctrl_freqs = batch.ctrl_freqs.to(device);
    in.action_gt = batch.actions.to(device);
    return in;
}

} // namespace rdt
