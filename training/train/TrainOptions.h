// The `rdt-trainer train` flags of contract 1 (RDT's own names), with RDT's defaults.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rdt {

struct TrainOptions {
    std::string config;                   // --config CFG.yaml (base.yaml schema) or config.json
    std::string dataset;                  // --dataset PATH (.hdf5 file or folder)
    std::string output_dir;               // --output_dir DIR (the run folder)
    std::string pretrained_model_name_or_path;
    std::string resume_from_checkpoint;   // "latest" or a checkpoint folder
    std::string lang_embeddings;          // --lang_embeddings FILE.safetensors (instruction -> [L, D])
    // --empty_lang_embed FILE.pt: RDT's data/empty_lang_embed.pt, the tokens for a dropped
    // instruction when lang_embeddings has no "" entry.
    std::string empty_lang_embed;
    // --vision_encoder DIR (RDT: --pretrained_vision_encoder_name_or_path): a Hugging Face
    // SigLIP folder; "patch" opts in to the small trainable patch encoder instead. Empty:
    // google/siglip-so400m-patch14-384 from the Hugging Face cache when the model's image
    // tokens are its size, else the patch encoder with a warning (see ConditioningSetup).
    std::string vision_encoder;
    // --lang learned opts in to a learned word table instead of T5 embeddings.
    std::string lang;
    int64_t train_batch_size = 4;
    double learning_rate = 1e-4;
    int64_t max_train_steps = 1000;
    int64_t checkpointing_period = 500;
    int64_t checkpoints_total_limit = 0;  // 0: keep all
    int64_t gradient_accumulation_steps = 1;
    bool gradient_checkpointing = false;
    std::string mixed_precision = "no";   // no | bf16 (fp16: not supported yet)
    std::string lr_scheduler = "constant";
    int64_t lr_warmup_steps = 500;
    double max_grad_norm = 1.0;
    int64_t sample_period = 0;            // 0: no sample events
    int64_t dataloader_num_workers = 2;
    int64_t seed = 0;
    std::string device = "cpu";
    double cond_mask_prob = 0.1;          // RDT's default
    // RDT's augmentations (see data::Augmentations), off unless asked for, as in RDT.
    bool image_aug = false;
    std::optional<double> state_noise_snr;
    double cam_ext_mask_prob = -1.0;
    // Every n-th episode is held out for the sample events (ours; 0 or too few episodes:
    // train on all and sample on training windows).
    int64_t holdout_every = 10;
    // AdamW as RDT's train.py sets it up.
    double adam_beta1 = 0.9;
    double adam_beta2 = 0.999;
    double adam_weight_decay = 1e-2;
    double adam_epsilon = 1e-8;
};

} // namespace rdt
