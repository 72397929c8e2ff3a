// How the training loop wants its batches: size, workers, the condition dropout, the split.
// Kept apart from Dataset.h so code that only configures needs no LibTorch.
#pragma once

#include <optional>
#include <string>

namespace rdt::data {

enum class Split {
    All,      // every episode
    Train,    // all but the held-out episodes
    Holdout,  // every holdout_every-th episode, for the `sample` event's held-out windows
};

// RDT's training augmentations (its main.py flags), all off by default as in RDT; its
// sample dataset never augments.
struct Augmentations {
    bool image_aug = false;                 // --image_aug: colour jitter and/or corruption, half the frames
    std::optional<double> state_noise_snr;  // --state_noise_snr dB: Gaussian noise of std episode_std / sqrt(10^(snr/10))
    double cam_ext_mask_prob = -1.0;        // --cam_ext_mask_prob: the exterior camera's dropout; < 0: cond_mask_prob
};

struct DatasetOptions {
    int batch_size = 4;          // --train_batch_size
    int num_workers = 2;         // --dataloader_num_workers; 0 builds batches in next()
    int prefetch_batches = 8;    // bound of the ready-batch queue (~0.33 MB per 128x128 sample)
    double cond_mask_prob = 0.1; // RDT's --cond_mask_prob default; use 0 for held-out sampling
    Split split = Split::All;
    int holdout_every = 0;       // > 0: episode i is held out when i % holdout_every == holdout_every-1
    std::string dataset_name;    // key in dataset_stat.json; empty: the file or folder stem
    Augmentations augment;
    int shard_index = 0;         // data-parallel rank: this process's slice of each global batch
    int shard_count = 1;         // world size (SamplingPlan)
};

}  // namespace rdt::data
