// A SigLIP vision tower from a Hugging Face folder (google/siglip-so400m-patch14-384's
// layout): config.json, preprocessor_config.json, and model.safetensors or
// pytorch_model.bin whose vision_model.* tensors are the tower's; text_model.*, the
// pooling head and logit scale/bias are ignored.
#pragma once

#include "vision/SiglipConfig.h"
#include "vision/SiglipVisionTower.h"

#include <string>

namespace rdt {

struct LoadedSiglip {
    SiglipVisionTower tower{nullptr}; // frozen (no gradients), in eval mode, on the CPU in float32
    SiglipProcessorConfig processor;
    std::string weightsFile;
};

// Throws TrainerError naming the folder and the file, and listing every tower parameter
// the file lacks or has in another shape.
LoadedSiglip loadSiglipFolder(const std::string &dir);

} // namespace rdt
