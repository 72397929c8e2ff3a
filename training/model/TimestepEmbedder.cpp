// Timestep / control-frequency embedder.
#include "model/TimestepEmbedder.h"

#include <torch/torch.h>

#include <cmath>

namespace rdt {

TimestepEmbedderImpl::TimestepEmbedderImpl(int64_t hidden_size)
{
    mlp = register_module("mlp", torch::nn::Sequential(
        torch::nn::Linear(kFrequencyEmbeddingSize, hidden_size),
        torch::nn::SiLU(),
        torch::nn::Linear(hidden_size, hidden_size)));
}

torch::Tensor TimestepEmbedderImpl::timestepEmbedding(const torch::Tensor &t, int64_t dim)
{
    const int64_t half = dim / 2;
    const torch::Tensor freqs = torch::exp(
        -std::log(kTimestepMaxPeriod) *
        torch::arange(0, half, torch::TensorOptions().dtype(torch::kFloat32).device(t.device())) / half);
    const torch::Tensor args = t.unsqueeze(1).to(torch::kFloat32) * freqs.unsqueeze(0);
    torch::Tensor embedding = torch::cat({torch::cos(args), torch::sin(args)}, -1);
    if (dim % 2)
        embedding = torch::cat({embedding, torch::zeros_like(embedding.slice(1, 0, 1))}, -1);
    return embedding;
}

torch::Tensor TimestepEmbedderImpl::forward(const torch::Tensor &t)
{
    // The official code casts the sinusoid to the model's dtype before the MLP.
    const torch::Tensor weight = mlp->parameters().front();
    return mlp->forward(timestepEmbedding(t, kFrequencyEmbeddingSize).to(weight.scalar_type()));
}

} // namespace rdt
