// The two JSON files of a Hugging Face SigLIP folder that a vision tower needs:
// config.json's vision_config (the transformer's shape) and preprocessor_config.json (how
// SiglipImageProcessor prepares an image). Missing keys take transformers' defaults.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace rdt {

struct SiglipVisionConfig {
    int64_t hidden_size = 768;
    int64_t intermediate_size = 3072;
    int64_t num_hidden_layers = 12;
    int64_t num_attention_heads = 12;
    int64_t num_channels = 3;
    int64_t image_size = 224;
    int64_t patch_size = 16;
    double layer_norm_eps = 1e-6;

    int64_t patchesPerSide() const { return image_size / patch_size; }
    int64_t numPatches() const { return patchesPerSide() * patchesPerSide(); }
};

struct SiglipProcessorConfig {
    int64_t height = 224;  // size.height / size.width: the resize target
    int64_t width = 224;
    std::array<double, 3> image_mean{0.5, 0.5, 0.5};
    std::array<double, 3> image_std{0.5, 0.5, 0.5};
    double rescale_factor = 1.0 / 255.0;
    int64_t resample = 3;  // PIL's BICUBIC, the only filter supported
};

// DIR/config.json: a SiglipModel config (vision_config inside) or a bare vision config.
// Throws TrainerError naming the file and the key when the shape is unusable.
SiglipVisionConfig readSiglipVisionConfig(const std::string &dir);
// DIR/preprocessor_config.json; absent: the processor's defaults sized to the config.
SiglipProcessorConfig readSiglipProcessorConfig(const std::string &dir, const SiglipVisionConfig &vision);

} // namespace rdt
