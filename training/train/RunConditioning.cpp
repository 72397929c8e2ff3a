// The run's conditioning from its flags.
#include "train/RunConditioning.h"

#include "model/TrainerError.h"
#include "weights/SafetensorsFile.h"
#include "weights/TorchArchive.h"

#include <torch/torch.h>

#include <algorithm>

namespace rdt {

// A dropped instruction (cond_mask_prob) is "", whose tokens come from the file itself or
// from RDT's empty_lang_embed.pt.
NamedTensors readLangEmbeddings(const TrainOptions &o)
{
    if (o.lang_embeddings.empty())
        return {};
    NamedTensors embeddings = readSafetensors(o.lang_embeddings).tensors;
    const bool hasEmpty = std::any_of(embeddings.begin(), embeddings.end(), [](const auto &e) { return e.first.empty(); });
    if (!hasEmpty && !o.empty_lang_embed.empty()) {
        const torch::Tensor empty = loadTorchTensor(o.empty_lang_embed);
        embeddings.emplace_back("", empty.dim() == 3 ? empty[0] : empty);
    } else if (!hasEmpty && o.cond_mask_prob > 0) {
        throw TrainerError("--lang_embeddings " + o.lang_embeddings + " has no entry \"\" for a dropped instruction "
                           "(cond_mask_prob " + std::to_string(o.cond_mask_prob) +
                           "): add one or pass --empty_lang_embed empty_lang_embed.pt");
    }
    return embeddings;
}

Conditioning makeConditioning(const RdtConfig &config, int64_t imageHeight, int64_t imageWidth,
                              const TrainOptions &options)
{
    return Conditioning(config, imageHeight, imageWidth, readLangEmbeddings(options));
}

} // namespace rdt
