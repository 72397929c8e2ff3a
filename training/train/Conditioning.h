// Turns a data batch into the runner's inputs: language tokens (precomputed T5 embeddings
// or, opted in, learned words), image tokens (the frozen SigLIP tower's, or, without one,
// a small trainable patch encoder), state, masks and the clean chunk. Its trainable
// parameters (img_encoder.*, lang_encoder.*) are saved as encoders.safetensors; the frozen
// tower is not registered, so it is neither trained nor saved.
#pragma once

#include "data/Batch.h"
#include "model/ImageEncoder.h"
#include "model/LanguageEncoder.h"
#include "model/RdtConfig.h"
#include "train/RunnerInputs.h"

#include <memory>

namespace rdt {

class SiglipImageEncoder;

// What the conditioning is built from (see ConditioningSetup for how a run chooses).
struct ConditioningSources {
    NamedTensors langEmbeddings;                // instruction -> [L, lang_token_dim]; empty: learned words
    std::shared_ptr<const SiglipImageEncoder> vision; // null: the trainable patch encoder
};

class ConditioningImpl : public torch::nn::Module {
public:
    // The trainable patch encoder and, with no embeddings, learned words.
    ConditioningImpl(const RdtConfig &config, int64_t imageHeight, int64_t imageWidth, const NamedTensors &langEmbeddings);
    // Throws TrainerError when the vision tower's tokens do not fit the model's image tokens.
    ConditioningImpl(const RdtConfig &config, int64_t imageHeight, int64_t imageWidth, ConditioningSources sources);

    RunnerInputs encode(const data::Batch &batch, const torch::Device &device);

    bool usesSiglip() const { return m_vision != nullptr; }

    ImageEncoder img_encoder{nullptr}; // null with SigLIP
    LanguageEncoder lang_encoder{nullptr};

private:
    std::shared_ptr<const SiglipImageEncoder> m_vision;
};
TORCH_MODULE(Conditioning);

} // namespace rdt
