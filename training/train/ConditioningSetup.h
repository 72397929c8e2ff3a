// How a run's conditioning is chosen and built from its flags, so training and evaluation
// build the same one: RDT's own (frozen SigLIP image tokens, precomputed T5 language
// embeddings); the trainable stand-ins only as an explicit opt-in (--vision_encoder patch,
// --lang learned). Without an encoder and without its opt-in the run stops before training.
#pragma once

#include "model/RdtConfig.h"
#include "train/Conditioning.h"
#include "train/TrainOptions.h"

#include <string>
#include <vector>

namespace rdt {

struct ConditioningSetup {
    Conditioning conditioning{nullptr};
    std::string vision;                // "siglip:<weights file>" or "patch"
    std::string language;              // "t5:<path>" or "learned"
    std::vector<std::string> notes;    // lines for the log
    std::vector<std::string> warnings; // lines for the log and the start event
};

// The Hugging Face cache's snapshot of google/siglip-so400m-patch14-384 ($HF_HUB_CACHE,
// $HF_HOME/hub or ~/.cache/huggingface/hub), or "" when there is none.
std::string cachedSiglipFolder();

// Loads the vision tower onto device (when there is one) and the language embeddings.
// Throws TrainerError for conflicting flags, unusable files and missing encoders.
ConditioningSetup buildConditioning(const TrainOptions &o, const RdtConfig &config, int64_t imageHeight,
                                    int64_t imageWidth, const torch::Device &device);

} // namespace rdt
