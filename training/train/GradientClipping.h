// Gradient clipping by the global L2 norm, with multi-tensor kernels where LibTorch has
// them (as torch.nn.utils.clip_grad_norm_ does on CUDA): one norm kernel for all
// gradients instead of one per parameter.
#pragma once

#include <torch/types.h>

#include <vector>

namespace rdt {

// Scales the gradients of `params` so their global norm is at most `maxNorm` (scale
// maxNorm / (norm + 1e-6), never above 1) and returns the norm before clipping, as a
// 0-d tensor on the gradients' device: reading it waits for the GPU, so callers read it
// after queueing the optimizer step. An infinite maxNorm only measures.
torch::Tensor clipGradientNorm(const std::vector<torch::Tensor> &params, double maxNorm);

} // namespace rdt
