// Files written by Python's torch.save (PyTorch >= 1.6 zip layout): <prefix>/data.pkl, a
// pickle whose tensors point at <prefix>/data/<key> storage records. This is how
// pytorch_model.bin and RDT's empty_lang_embed.pt are stored. LibTorch 1.13's
// torch::pickle_load rejects an OrderedDict state dict, hence our own reader.
#pragma once

#include "weights/PickleValue.h"
#include "weights/TensorList.h"

#include <string>

namespace rdt {

// The unpickled top-level value. Throws TrainerError naming the file and the problem.
PickleRef loadTorchArchive(const std::string &path);

// A state dict: the top level must be a dict or OrderedDict of str -> tensor.
NamedTensors loadTorchStateDict(const std::string &path);

// A bare tensor, as torch.save(tensor) writes it.
at::Tensor loadTorchTensor(const std::string &path);

} // namespace rdt
