// The safetensors format, read and written by our own code: an 8-byte little-endian header
// length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, then
// the tensor bytes. The whole header is validated before any tensor is built.
#pragma once

#include "weights/TensorList.h"

#include <map>
#include <string>

namespace rdt {

struct SafetensorsContents {
    NamedTensors tensors;                       // in the order of their data offsets
    std::map<std::string, std::string> metadata; // "__metadata__", string values only
};

// Throws TrainerError naming the file and, where it applies, the tensor and the field.
SafetensorsContents readSafetensors(const std::string &path);

// Writes to path + ".tmp", then renames, so a reader never sees half a file. Tensors are
// written contiguous, on the CPU, in their own dtype; names must be unique.
void writeSafetensors(const std::string &path, const NamedTensors &tensors,
                      const std::map<std::string, std::string> &metadata = {});

} // namespace rdt
