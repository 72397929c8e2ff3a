// The tensors one denoiser call needs, as RDT's compute_loss and predict_action take them.
#pragma once

#include <ATen/core/Tensor.h>

namespace rdt {

struct RunnerInputs {
    at::Tensor lang_tokens;  // (B, L, lang_token_dim)
    at::Tensor lang_mask;    // (B, L) bool, true = valid
    at::Tensor img_tokens;   // (B, I, img_token_dim)
    at::Tensor state_tokens; // (B, 1, state_dim)
    at::Tensor action_mask;  // (B, 1, state_dim), 0/1 float
    at::Tensor ctrl_freqs;   // (B,) Hz
    at::Tensor action_gt;    // (B, horizon, state_dim), the clean chunk (training only)
};

} // namespace rdt
