// The model and diffusion settings of an RDT runner, mirroring RDTRunner's constructor and
// RDT's configs/base.yaml. Read from base.yaml's schema or from a pretrained folder's
// Hugging Face config.json, and written back as config.json next to checkpoints.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

namespace rdt {

// Which RMSNorm formula the blocks use. The official code runs timm 1.0.3, whose RmsNorm
// computes x * rsqrt(var(x) + eps) with the unbiased, mean-centred variance; the true RMS
// (mean of squares) is what it computes only when NVIDIA apex is installed.
enum class RmsNormKind { TimmVariance, TrueRms };

struct RdtConfig {
    // common
    int64_t img_history_size = 2;
    int64_t action_chunk_size = 64; // pred_horizon
    int64_t num_cameras = 3;
    int64_t state_dim = 128;        // action_dim
    // model
    std::string lang_adaptor = "mlp2x_gelu";
    std::string img_adaptor = "mlp2x_gelu";
    std::string state_adaptor = "mlp3x_gelu";
    int64_t lang_token_dim = 4096;
    int64_t img_token_dim = 1152;
    int64_t state_token_dim = 128;
    int64_t hidden_size = 2048;
    int64_t depth = 28;
    int64_t num_heads = 32;
    // dataset.tokenizer_max_length: the language position table's length.
    int64_t max_lang_cond_len = 1024;
    // Image tokens per camera frame: SigLIP so400m at 384 px gives 27 x 27 = 729. Not in
    // base.yaml (the Python takes it from the vision encoder), so ours reads
    // model.img_num_patches and defaults to SigLIP's.
    int64_t img_num_patches = 729;
    RmsNormKind rms_norm = RmsNormKind::TimmVariance;
    // noise_scheduler
    int64_t num_train_timesteps = 1000;
    int64_t num_inference_timesteps = 5;
    std::string beta_schedule = "squaredcos_cap_v2";
    std::string prediction_type = "sample";
    bool clip_sample = false;
    // ema
    int64_t ema_update_after_step = 0;
    double ema_inv_gamma = 1.0;
    double ema_power = 0.75;
    double ema_min_value = 0.0;
    double ema_max_value = 0.9999;

    int64_t imgCondLen() const { return img_history_size * num_cameras * img_num_patches; }

    // Throws TrainerError naming the first bad value (source says where it came from).
    void validate(const std::string &source) const;
};

// Reads RDT's base.yaml schema (.yaml/.yml) or a Hugging Face config.json (.json, or a
// folder holding config.json). Throws TrainerError naming the file and key.
RdtConfig loadRdtConfig(const std::string &path);
RdtConfig rdtConfigFromBaseYaml(const std::string &yamlText, const std::string &source);
RdtConfig rdtConfigFromHfJson(const nlohmann::json &json, const std::string &source);

// The Hugging Face config.json that RDTRunner.from_pretrained reads (RDTRunner's
// constructor arguments), plus our own keys under "rdt_trainer".
nlohmann::json rdtConfigToHfJson(const RdtConfig &config);

// The resolved configuration in base.yaml's layout, for run.yaml.
std::string rdtConfigToBaseYaml(const RdtConfig &config);

} // namespace rdt
