// Turns a data batch into the runner's inputs: language tokens (precomputed or learned
// words), image tokens from the small trainable encoder, state, masks and the clean chunk.
// Its parameters (img_encoder.*, lang_encoder.*) are saved as encoders.safetensors.
#pragma once

#include "data/Batch.h"
#include "model/ImageEncoder.h"
#include "model/LanguageEncoder.h"
#include "model/RdtConfig.h"
#include "train/RunnerInputs.h"

namespace rdt {

class ConditioningImpl : public torch::nn::Module {
public:
    ConditioningImpl(const RdtConfig &config, int64_t imageHeight, int64_t imageWidth, const NamedTensors &langEmbeddings);

    RunnerInputs encode(const data::Batch &batch, const torch::Device &device);

    ImageEncoder img_encoder{nullptr};
    LanguageEncoder lang_encoder{nullptr};
};
TORCH_MODULE(Conditioning);

} // namespace rdt
