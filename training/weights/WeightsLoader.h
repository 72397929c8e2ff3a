// Pretrained weights into a module, as RDT's from_pretrained finds them: in a folder,
// model.safetensors first, then pytorch_model.bin; a file path is read as what it is.
// Every missing, unexpected and mis-shaped key is reported; a shape mismatch is an error.
#pragma once

#include "weights/TensorList.h"

#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace rdt {

struct WeightsReport {
    std::string file;                    // the file that was loaded
    size_t loaded = 0;                   // keys copied into the module
    std::vector<std::string> missing;    // in the module, not in the file
    std::vector<std::string> unexpected; // in the file, not in the module

    std::string summary() const; // one line for train.log
};

// The file a --pretrained_model_name_or_path names; throws TrainerError if there is none.
std::string resolveWeightsFile(const std::string &pathOrFolder);

// Reads a safetensors file or a torch.save state dict, told apart by their first bytes.
NamedTensors readWeightsFile(const std::string &file);

// The module's parameters and buffers under their dotted names, in registration order.
NamedTensors stateDictOf(const torch::nn::Module &module);

// Copies the file's tensors into the module's parameters and buffers (converting dtype).
// Throws TrainerError listing every key whose shape differs.
WeightsReport loadWeightsInto(torch::nn::Module &module, const NamedTensors &tensors, const std::string &file);

// resolveWeightsFile + readWeightsFile + loadWeightsInto.
WeightsReport loadPretrained(torch::nn::Module &module, const std::string &pathOrFolder);

} // namespace rdt
