// How a run builds its conditioning (encoders and language embeddings) from its flags, in
// one place: training and eval both call it, so an eval conditions a checkpoint exactly
// as the run that wrote it did.
#pragma once

#include "model/RdtConfig.h"
#include "train/Conditioning.h"
#include "train/TrainOptions.h"
#include "weights/TensorList.h"

namespace rdt {

// Precomputed language tokens by instruction (--lang_embeddings), with the "" entry for a
// dropped instruction from the file or --empty_lang_embed. Empty without --lang_embeddings.
NamedTensors readLangEmbeddings(const TrainOptions &options);

// The run's Conditioning for images of imageHeight x imageWidth, freshly initialised.
Conditioning makeConditioning(const RdtConfig &config, int64_t imageHeight, int64_t imageWidth,
                              const TrainOptions &options);

} // namespace rdt
