// Precomputed language embeddings in the files RDT's scripts write, by instruction:
// - scripts/encode_lang.py: a torch.save dict {"name", "instruction", "embeddings" [1, L, D]};
// - scripts/encode_lang_batch.py: bare tensors lang_embed_<i>.pt [L, D] beside the task's
//   expanded_instruction_gpt-4-turbo.json, whose instruction, simplified_instruction and
//   expanded_instruction lists give the i-th instruction;
// - data/empty_lang_embed.pt: the bare tensor a dropped instruction (cond_mask_prob) gets;
// - our safetensors map, instruction -> [L, D] ("" for the dropped instruction).
#pragma once

#include "weights/TensorList.h"

#include <string>

namespace rdt {

// path: one of the files above, or a folder searched recursively for them (a file named
// empty_lang_embed.pt there is the empty entry). emptyPath, when given, supplies the empty
// entry. Every tensor becomes [L, D]. An entry "" is required when condMaskProb > 0.
// Throws TrainerError naming the file and what is wrong with it.
NamedTensors readLanguageEmbeddings(const std::string &path, const std::string &emptyPath, double condMaskProb);

} // namespace rdt
