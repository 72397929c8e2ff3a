// The JSON header of a safetensors file, validated in plain C++ (no LibTorch) so that the
// rules hostile bytes meet (dtype, shape, offsets tiling the data exactly) are one piece
// that the fuzz targets can run alone. SafetensorsFile builds the tensors from it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rdt {

struct SafetensorsEntry {
    std::string name;
    std::string dtype;              // "F32", "BF16", ...: one of SafetensorsHeader's names
    std::vector<int64_t> shape;
    uint64_t begin = 0;             // data_offsets, relative to the data section
    uint64_t end = 0;
};

class SafetensorsHeader {
public:
    std::vector<SafetensorsEntry> entries;        // in the order of their data offsets
    std::map<std::string, std::string> metadata;  // "__metadata__", string values only

    // The reference implementation refuses headers over 100 MB; a bigger one is a broken or
    // hostile file, and we would otherwise allocate whatever the first 8 bytes claim.
    static constexpr uint64_t kMaxBytes = 100'000'000;

    // The little-endian header length of a file's first 8 bytes.
    static uint64_t length(const unsigned char bytes[8]);
    // Parses and checks the header's JSON text against a data section of dataBytes bytes.
    // Throws TrainerError starting with `where`, naming the tensor and the field.
    static SafetensorsHeader parse(const std::string &text, uint64_t dataBytes, const std::string &where);
    // Bytes per element of a safetensors dtype name; 0 for a name LibTorch cannot hold.
    static uint64_t elementSize(const std::string &dtype);
};

} // namespace rdt
