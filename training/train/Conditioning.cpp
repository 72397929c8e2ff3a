// Batch -> RunnerInputs.
#include "train/Conditioning.h"

#include "model/TrainerError.h"
#include "vision/SiglipImageEncoder.h"

#include <torch/torch.h>

namespace rdt {

ConditioningImpl::ConditioningImpl(const RdtConfig &config, int64_t imageHeight, int64_t imageWidth,
                                   const NamedTensors &langEmbeddings)
    : ConditioningImpl(config, imageHeight, imageWidth, ConditioningSources{langEmbeddings, nullptr})
{
}

ConditioningImpl::ConditioningImpl(const RdtConfig &config, int64_t imageHeight, int64_t imageWidth,
                                   ConditioningSources sources)
    : m_vision(std::move(sources.vision))
{
    if (m_vision) {
        if (m_vision->tokensPerImage() != config.img_num_patches || m_vision->hiddenSize() != config.img_token_dim)
            throw TrainerError("vision encoder " + m_vision->weightsFile() + " gives " +
                               std::to_string(m_vision->tokensPerImage()) + " tokens x " +
                               std::to_string(m_vision->hiddenSize()) + " per image, but the model config has "
                               "img_num_patches " + std::to_string(config.img_num_patches) + " and img_token_dim " +
                               std::to_string(config.img_token_dim) + " (RDT-1B: 729 x 1152, SigLIP so400m-patch14-384)");
    } else {
        img_encoder = register_module("img_encoder",
            ImageEncoder(imageHeight, imageWidth, config.img_num_patches, config.img_token_dim));
    }
    lang_encoder = register_module("lang_encoder",
        LanguageEncoder(config.lang_token_dim, config.max_lang_cond_len, sources.langEmbeddings));
}

RunnerInputs ConditioningImpl::encode(const data::Batch &batch, const torch::Device &device)
{
    RunnerInputs in;
    std::tie(in.lang_tokens, in.lang_mask) = lang_encoder->forward(batch.instructions, device);
    in.img_tokens = m_vision ? m_vision->encode(batch.images) : img_encoder(batch.images.to(device));
    in.state_tokens = batch.states.to(device);
    in.action_mask = batch.state_elem_mask.to(device);
    in.ctrl_freqs = batch.ctrl_freqs.to(device);
    in.action_gt = batch.actions.to(device);
    return in;
}

} // namespace rdt
