// Sin-cos position tables that initialise RDT's x_pos_embed, lang_cond_pos_embed and
// img_cond_pos_embed (MAE's 1-D table and RDT's multimodal layout), in float64 as numpy.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace rdt {

// pos (M,) -> (M, embed_dim): [sin(pos * w_d), cos(pos * w_d)], w_d = 10000^(-d / (D/2)).
at::Tensor sincos1d(int64_t embed_dim, const at::Tensor &pos);

// Grid sizes (K,) -> (g0, ..., gK-1, D); dimensions of size 1 get no share of the width.
at::Tensor sincosNd(int64_t embed_dim, const std::vector<int64_t> &grid_sizes);

// One modality of RDT's get_multimodal_cond_pos_embed: its name and its length, or for
// "image" its grid; a negative size means "this many tokens, no position embedding".
struct ModalityLength {
    std::string name;
    std::vector<int64_t> sizes;
};

// (sum of token counts, D), float64.
at::Tensor multimodalCondPosEmbed(int64_t embed_dim, const std::vector<ModalityLength> &modalities,
                                  bool embed_modality);

} // namespace rdt
