// Language tokens: precomputed lookup or hashed learned words.
#include "model/LanguageEncoder.h"

#include "model/TrainerError.h"

#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace rdt {
namespace {

// FNV-1a, 64 bit: a fixed hash, so buckets do not depend on the platform's std::hash.
uint64_t fnv1a(const std::string &text)
{
    uint64_t hash = 1469598103934665603ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

} // namespace

std::string languageKey(const std::string &instruction)
{
    size_t begin = 0, end = instruction.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(instruction[begin])))
        ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(instruction[end - 1])))
        --end;
    if (end > begin && instruction[end - 1] == '.')
        --end;
    return instruction.substr(begin, end - begin);
}

LanguageEncoderImpl::LanguageEncoderImpl(int64_t token_dim, int64_t max_tokens, const NamedTensors &precomputed)
    : m_tokenDim(token_dim), m_maxTokens(max_tokens)
{
    for (const auto &[instruction, tokens] : precomputed) {
        if (tokens.dim() != 2 || tokens.size(1) != token_dim || tokens.size(0) < 1 || tokens.size(0) > max_tokens)
            throw TrainerError("language embeddings: entry '" + instruction + "' must be [L, " +
                               std::to_string(token_dim) + "] with 1 <= L <= " + std::to_string(max_tokens));
        m_precomputed[languageKey(instruction)] = tokens.to(torch::kFloat32);
    }
    if (m_precomputed.empty()) {
        const int64_t rank = std::min(kWordRank, token_dim);
        word_embed = register_module("word_embed", torch::nn::Embedding(kWordBuckets, rank));
        word_proj = register_module("word_proj",
                                    torch::nn::Linear(torch::nn::LinearOptions(rank, token_dim).bias(false)));
        // Tokens start with a standard deviation of 0.02 per element, as the full table had.
        torch::NoGradGuard noGrad;
        torch::nn::init::normal_(word_embed->weight, 0.0, 1.0);
        torch::nn::init::normal_(word_proj->weight, 0.0, 0.02 / std::sqrt(static_cast<double>(rank)));
    }
}

std::vector<int64_t> LanguageEncoderImpl::wordBuckets(const std::string &instruction) const
{
    // Bucket 0 stands for the empty instruction (RDT drops the instruction with
    // cond_mask_prob and feeds its "empty" embedding then).
    std::vector<int64_t> buckets;
    std::string word;
    auto flush = [&] {
        if (!word.empty() && static_cast<int64_t>(buckets.size()) < m_maxTokens)
            buckets.push_back(1 + static_cast<int64_t>(fnv1a(word) % (kWordBuckets - 1)));
        word.clear();
    };
    for (char c : instruction) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else
            flush();
    }
    flush();
    if (buckets.empty())
        buckets.push_back(0);
    return buckets;
}

std::pair<torch::Tensor, torch::Tensor> LanguageEncoderImpl::forward(const std::vector<std::string> &instructions,
                                                                     const torch::Device &device)
{
    const int64_t B = static_cast<int64_t>(instructions.size());
    std::vector<torch::Tensor> rows;
    int64_t longest = 1;
    for (const std::string &instruction : instructions) {
        torch::Tensor tokens;
        if (learned()) {
            const std::vector<int64_t> buckets = wordBuckets(instruction);
            tokens = word_proj(word_embed(torch::tensor(buckets, torch::kInt64).to(device))); // (L, D)
        } else {
            const auto it = m_precomputed.find(languageKey(instruction));
            if (it == m_precomputed.end())
                throw TrainerError("language embeddings: no entry for instruction '" + instruction + "'");
            tokens = it->second.to(device);
        }
        longest = std::max(longest, tokens.size(0));
        rows.push_back(tokens);
    }
    const auto options = rows.empty() ? torch::TensorOptions().device(device) : rows[0].options();
    torch::Tensor out = torch::zeros({B, longest, m_tokenDim}, options);
    torch::Tensor mask = torch::zeros({B, longest}, torch::TensorOptions().dtype(torch::kBool).device(device));
    std::vector<torch::Tensor> padded;
    for (int64_t b = 0; b < B; ++b) {
        const int64_t L = rows[b].size(0);
        padded.push_back(torch::cat({rows[b], torch::zeros({longest - L, m_tokenDim}, rows[b].options())}, 0));
        mask[b].slice(0, 0, L).fill_(true);
    }
    if (B > 0)
        out = torch::stack(padded, 0);
    return {out, mask};
}

} // namespace rdt
