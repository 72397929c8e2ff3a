// Fuzzes the safetensors header rules (SafetensorsHeader) with a whole file's bytes: the
// 8-byte length, the JSON header, the data section. No crash, no undefined behaviour, and an
// accepted header's tensors tile the data exactly with sizes that fit their shapes.
#include "model/TrainerError.h"
#include "weights/SafetensorsHeader.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    const uint64_t length = rdt::SafetensorsHeader::length(data);
    if (length > size - 8)
        return 0;
    const std::string text(reinterpret_cast<const char *>(data) + 8, length);
    const uint64_t dataBytes = size - 8 - length;
    try {
        const rdt::SafetensorsHeader header = rdt::SafetensorsHeader::parse(text, dataBytes, "fuzz");
        uint64_t cursor = 0;
        for (const rdt::SafetensorsEntry &entry : header.entries) {
            uint64_t numel = 1;
            for (const int64_t dim : entry.shape) {
                if (dim < 0)
                    std::abort();
                numel *= uint64_t(dim);
            }
            const uint64_t elementBytes = rdt::SafetensorsHeader::elementSize(entry.dtype);
            if (entry.begin != cursor || entry.end - entry.begin != numel * elementBytes)
                std::abort();
            cursor = entry.end;
        }
        if (cursor != dataBytes)
            std::abort();
    } catch (const rdt::TrainerError &) {
    }
    return 0;
}
