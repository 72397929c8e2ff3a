// The language side of the conditioning: precomputed token embeddings (a safetensors file
// mapping each instruction to [L, lang_token_dim], as T5-XXL would give) when supplied,
// else a learned embedding of the instruction's words (hashed into a fixed table, so the
// same instruction always gets the same tokens, across runs and resumes).
#pragma once

#include "weights/TensorList.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/pimpl.h>

#include <map>
#include <string>
#include <vector>

namespace rdt {

// Buckets of the learned word table: large enough that LIBERO's ~100 words rarely share one.
constexpr int64_t kWordBuckets = 4096;

class LanguageEncoderImpl : public torch::nn::Module {
public:
    // precomputed empty: learned words; else every instruction must be a key of it.
    LanguageEncoderImpl(int64_t token_dim, int64_t max_tokens, const NamedTensors &precomputed);

    // B instructions -> tokens (B, L, token_dim) padded to the longest, mask (B, L) bool.
    std::pair<torch::Tensor, torch::Tensor> forward(const std::vector<std::string> &instructions,
                                                    const torch::Device &device);

    bool learned() const { return m_precomputed.empty(); }

    torch::nn::Embedding word_embed{nullptr};

private:
    std::vector<int64_t> wordBuckets(const std::string &instruction) const;

    int64_t m_tokenDim;
    int64_t m_maxTokens;
    std::map<std::string, torch::Tensor> m_precomputed;
};
TORCH_MODULE(LanguageEncoder);

} // namespace rdt
