// Sin-cos position tables, computed in float64 as RDT's numpy code does.
#include "model/PosEmbed.h"

#include "model/TrainerError.h"

#include <torch/torch.h>

namespace rdt {

at::Tensor sincos1d(int64_t embed_dim, const at::Tensor &pos)
{
    if (embed_dim % 2 != 0)
        throw TrainerError("sin-cos position embedding: width " + std::to_string(embed_dim) + " is odd");
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    torch::Tensor omega = torch::arange(embed_dim / 2, f64) / (embed_dim / 2.0);
    omega = 1.0 / torch::pow(10000.0, omega);                                  // (D/2,)
    const torch::Tensor out = torch::outer(pos.to(torch::kFloat64).reshape(-1), omega); // (M, D/2)
    return torch::cat({torch::sin(out), torch::cos(out)}, 1);                  // (M, D)
}

at::Tensor sincosNd(int64_t embed_dim, const std::vector<int64_t> &grid_sizes)
{
    std::vector<int64_t> shape(grid_sizes);
    shape.push_back(embed_dim);
    torch::Tensor emb = torch::zeros(shape, torch::kFloat64);
    int64_t numValid = 0;
    for (int64_t size : grid_sizes)
        numValid += size > 1 ? 1 : 0;
    if (numValid == 0)
        return emb; // every grid size is 1: nothing to tell apart
    int64_t dimForEach = embed_dim / numValid;
    if (dimForEach % 2 != 0)
        dimForEach -= 1;
    int64_t validIndex = 0;
    for (size_t i = 0; i < grid_sizes.size(); ++i) {
        if (grid_sizes[i] <= 1)
            continue;
        std::vector<int64_t> viewShape(grid_sizes.size() + 1, 1);
        viewShape[i] = -1;
        viewShape.back() = dimForEach;
        const torch::Tensor table =
            sincos1d(dimForEach, torch::arange(grid_sizes[i], torch::kFloat64)).reshape(viewShape);
        emb.narrow(-1, validIndex * dimForEach, dimForEach).add_(table);
        ++validIndex;
    }
    return emb;
}

at::Tensor multimodalCondPosEmbed(int64_t embed_dim, const std::vector<ModalityLength> &modalities,
                                  bool embed_modality)
{
    const int64_t numModalities = static_cast<int64_t>(modalities.size());
    torch::Tensor modalityPosEmbed = torch::zeros({numModalities, embed_dim}, torch::kFloat64);
    int64_t posEmbedDim = embed_dim;
    if (embed_modality) {
        // The modality goes in the first half, the position inside it in the second.
        modalityPosEmbed.narrow(1, 0, embed_dim / 2)
            .copy_(sincos1d(embed_dim / 2, torch::arange(numModalities, torch::kFloat64)));
        posEmbedDim = embed_dim / 2;
    }
    std::vector<torch::Tensor> parts;
    for (int64_t idx = 0; idx < numModalities; ++idx) {
        const ModalityLength &m = modalities[idx];
        torch::Tensor condPosEmbed;
        if (m.name == "image" && m.sizes.size() > 1) {
            std::vector<int64_t> allSizes, embedSizes;
            for (int64_t s : m.sizes) {
                allSizes.push_back(std::abs(s));
                embedSizes.push_back(s > 0 ? s : 1);
            }
            const torch::Tensor sincos = sincosNd(posEmbedDim, embedSizes);
            std::vector<int64_t> shape(allSizes);
            shape.push_back(embed_dim);
            condPosEmbed = torch::zeros(shape, torch::kFloat64);
            condPosEmbed.narrow(-1, embed_dim - posEmbedDim, posEmbedDim).add_(sincos);
            condPosEmbed = condPosEmbed.reshape({-1, embed_dim});
        } else {
            const int64_t len = m.sizes.at(0);
            const torch::Tensor sincos =
                sincos1d(posEmbedDim, torch::arange(len > 0 ? len : 1, torch::kFloat64));
            condPosEmbed = torch::zeros({std::abs(len), embed_dim}, torch::kFloat64);
            condPosEmbed.narrow(-1, embed_dim - posEmbedDim, posEmbedDim).add_(sincos);
        }
        condPosEmbed.add_(modalityPosEmbed[idx]);
        parts.push_back(condPosEmbed);
    }
    return torch::cat(parts, 0);
}

} // namespace rdt
