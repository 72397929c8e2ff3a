// RDT's TimestepEmbedder (used for the diffusion step and for the control frequency): a
// 256-wide sinusoid, cos half first, then mlp = Linear(256,H), SiLU, Linear(H,H).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace rdt {

// RDT's frequency_embedding_size and GLIDE's max_period.
constexpr int64_t kFrequencyEmbeddingSize = 256;
constexpr double kTimestepMaxPeriod = 10000.0;

class TimestepEmbedderImpl : public torch::nn::Module {
public:
    explicit TimestepEmbedderImpl(int64_t hidden_size);
    torch::Tensor forward(const torch::Tensor &t); // (B,) -> (B, H)

    // The sinusoid alone: (B,) -> (B, dim), [cos(t * f_i), sin(t * f_i)] with
    // f_i = exp(-ln(max_period) * i / (dim/2)), in float32.
    static torch::Tensor timestepEmbedding(const torch::Tensor &t, int64_t dim);

    torch::nn::Sequential mlp{nullptr};
};
TORCH_MODULE(TimestepEmbedder);

} // namespace rdt
