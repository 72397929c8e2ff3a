// One training batch as the training loop consumes it: LibTorch tensors laid out as RDT's
// DataCollatorForVLAConsumerDataset hands them to train/train.py, plus the raw instructions.
#pragma once

#include "data/Layout.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rdt::data {

// Where one sample of a batch came from, for logs and error messages.
struct SampleOrigin {
    int file_index = 0;     // index into DatasetInfo::files
    int episode_index = 0;  // index into the split's episodes, in file then demo order
    int step = 0;           // the sampled timestep t
};

// Values are raw, not normalised: RDT's dataset code (train/dataset.py) feeds states and
// actions as they are; dataset_stat.json serves only as the mean state of a dropped state.
struct Batch {
    // (B, 1, 128) float32: the unified state at t. When the condition is masked (RDT's
    // cond_mask_prob) it is the dataset's mean state, as in RDT's VLAConsumerDataset.
    torch::Tensor states;
    // (B, 1, 128) float32, 1 = valid. RDT feeds this one mask as `action_mask` for the state
    // token and the action tokens alike, so it covers the state's and the action's slots;
    // all zero when the condition is masked.
    torch::Tensor state_elem_mask;
    // (B, 64, 128) float32: actions t .. t+63 in the unified vector, padded past the
    // episode's end by repeating its last action. Never masked.
    torch::Tensor actions;
    // (B, 1, 128) float32, 1 = a slot the action chunk fills (never condition-masked): for
    // metrics on the predicted dimensions only.
    torch::Tensor action_elem_mask;
    // (B, 6, 3, H, W) uint8 RGB, upright. Slot order as RDT's VLAConsumerDataset: history
    // major (t-1, then t), then cameras [exterior (agentview), right wrist (eye_in_hand),
    // left wrist (absent in LIBERO)]. Invalid slots hold RDT's background image (every
    // byte 127). Resizing and normalising for the vision encoder are the encoder's job.
    torch::Tensor images;
    // (B, 6) bool: true where the slot holds a real frame.
    torch::Tensor image_mask;
    // (B) float32: control frequency in Hz (20 for LIBERO), 0 when condition-masked.
    torch::Tensor ctrl_freqs;
    // B instructions; "" when condition-masked (use RDT's empty language embedding then).
    std::vector<std::string> instructions;

    int64_t index = 0;  // this batch's position in the sampling sequence
    std::vector<SampleOrigin> origins;
};

}  // namespace rdt::data
