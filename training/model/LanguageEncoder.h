// The language side of the conditioning: precomputed token embeddings (a safetensors file
// mapping each instruction to [L, lang_token_dim], as T5-XXL would give) when supplied,
// else a learned embedding of the instruction's words (hashed into a fixed table, so the
// same instruction always gets the same tokens, across runs and resumes).
#pragma once

#include "weights/TensorList.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <map>
#include <string>
#include <vector>

namespace rdt {

// Buckets of the learned word table: large enough that LIBERO's ~100 words rarely share one.
constexpr int64_t kWordBuckets = 4096;
// The learned words are a low-rank table: a kWordRank-d vector per bucket, projected to the
// token width. A full 4096 x 4096 table was 16.8 M parameters, three times a small RDT, and
// its dense gradient, AdamW and EMA updates made CPU training 2.5x slower; ~100 words need
// nowhere near 4096 dimensions of freedom each. (Narrower tokens than the rank: the rank is
// the token width.)
constexpr int64_t kWordRank = 64;

// The key an instruction's embedding is found under: without surrounding spaces and one
// final period, as RDT strips the period before it looks an embedding up, so "open the
// drawer." and "open the drawer" share one.
std::string languageKey(const std::string &instruction);

class LanguageEncoderImpl : public torch::nn::Module {
public:
    // precomputed empty: learned words; else every instruction's languageKey must be a key of it.
    LanguageEncoderImpl(int64_t token_dim, int64_t max_tokens, const NamedTensors &precomputed);

    // B instructions -> tokens (B, L, token_dim) padded to the longest, mask (B, L) bool.
    std::pair<torch::Tensor, torch::Tensor> forward(const std::vector<std::string> &instructions,
                                                    const torch::Device &device);

    bool learned() const { return m_precomputed.empty(); }

    torch::nn::Embedding word_embed{nullptr}; // (kWordBuckets, rank)
    torch::nn::Linear word_proj{nullptr};     // rank -> token_dim, no bias

private:
    std::vector<int64_t> wordBuckets(const std::string &instruction) const;

    int64_t m_tokenDim;
    int64_t m_maxTokens;
    std::map<std::string, torch::Tensor> m_precomputed;
};
TORCH_MODULE(LanguageEncoder);

} // namespace rdt
