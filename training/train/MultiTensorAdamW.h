// AdamW whose step updates all parameters with LibTorch's multi-tensor (_foreach_) kernels,
// as Python's torch.optim.AdamW does on CUDA by default (foreach=True). LibTorch's C++
// AdamW loops over the parameters, about ten kernel launches each; with RDT's ~300
// parameter tensors that is thousands of launches per step on a GPU. The arithmetic is
// LibTorch's AdamW, operation for operation, and the state lives where LibTorch's AdamW
// keeps it, so optimizer checkpoints (save/load) are unchanged and interchangeable.
#pragma once

#include <torch/optim/adamw.h>

namespace rdt {

class MultiTensorAdamW : public torch::optim::AdamW {
public:
    MultiTensorAdamW(std::vector<torch::Tensor> params, torch::optim::AdamWOptions options)
        : torch::optim::AdamW(std::move(params), std::move(options))
    {
    }

    torch::Tensor step(LossClosure closure = nullptr) override;
};

} // namespace rdt
