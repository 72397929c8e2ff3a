// safetensors header validation; see SafetensorsHeader.h.
#include "weights/SafetensorsHeader.h"

#include "model/TrainerError.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

namespace rdt {
namespace {

struct DtypeSize {
    const char *name;
    uint64_t bytes;
};

// The safetensors dtype strings that LibTorch can hold (SafetensorsFile maps them).
constexpr DtypeSize kDtypes[] = {
    {"BOOL", 1}, {"U8", 1}, {"I8", 1}, {"I16", 2}, {"I32", 4}, {"I64", 8},
    {"F16", 2},  {"BF16", 2}, {"F32", 4}, {"F64", 8},
};

// The whole file must fit in a signed 64-bit offset, as LibTorch's sizes and the file
// reader's seeks are signed.
constexpr uint64_t kMaxElements = uint64_t(1) << 62;

SafetensorsEntry parseEntry(const std::string &name, const nlohmann::json &info, uint64_t dataBytes,
                            const std::string &where)
{
    const std::string at = where + ": tensor '" + name + "'";
    if (!info.is_object() || !info.contains("dtype") || !info.contains("shape") || !info.contains("data_offsets"))
        throw TrainerError(at + ": needs dtype, shape and data_offsets");
    SafetensorsEntry e;
    e.name = name;
    const nlohmann::json &dtype = info["dtype"];
    const uint64_t elementBytes = dtype.is_string() ? SafetensorsHeader::elementSize(dtype.get<std::string>()) : 0;
    if (elementBytes == 0)
        throw TrainerError(at + ": unsupported dtype " + dtype.dump());
    e.dtype = dtype.get<std::string>();
    const nlohmann::json &shape = info["shape"];
    if (!shape.is_array())
        throw TrainerError(at + ": shape is not a list");
    uint64_t numel = 1;
    for (const auto &dim : shape) {
        if (!dim.is_number_unsigned())
            throw TrainerError(at + ": shape " + shape.dump() + " has a non-natural entry");
        const uint64_t d = dim.get<uint64_t>();
        // Also bounds each dimension, so the cast to int64_t below keeps its value.
        if (d > kMaxElements || (d != 0 && numel > kMaxElements / d))
            throw TrainerError(at + ": shape " + shape.dump() + " overflows");
        numel *= d;
        e.shape.push_back(static_cast<int64_t>(d));
    }
    const nlohmann::json &offsets = info["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
        throw TrainerError(at + ": data_offsets must be [begin, end]");
    e.begin = offsets[0].get<uint64_t>();
    e.end = offsets[1].get<uint64_t>();
    if (e.begin > e.end || e.end > dataBytes)
        throw TrainerError(at + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                           "] outside the " + std::to_string(dataBytes) + " data bytes");
    // Compared by division: numel * elementBytes can pass 2^64 for a shape of 2^62 elements
    // and wrap to a small number that a short data range would match.
    const uint64_t bytes = e.end - e.begin;
    if (bytes % elementBytes != 0 || bytes / elementBytes != numel) {
        const std::string needed = numel <= UINT64_MAX / elementBytes ? std::to_string(numel * elementBytes)
                                                                      : "more than 2^64";
        throw TrainerError(at + ": " + std::to_string(bytes) + " bytes for shape " + shape.dump() + " " + e.dtype +
                           " (needs " + needed + " bytes: " + std::to_string(numel) + " elements of " +
                           std::to_string(elementBytes) + ")");
    }
    return e;
}

} // namespace

uint64_t SafetensorsHeader::length(const unsigned char bytes[8])
{
    uint64_t length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | bytes[i];
    return length;
}

uint64_t SafetensorsHeader::elementSize(const std::string &dtype)
{
    for (const DtypeSize &d : kDtypes) {
        if (dtype == d.name)
            return d.bytes;
    }
    return 0;
}

SafetensorsHeader SafetensorsHeader::parse(const std::string &text, uint64_t dataBytes, const std::string &where)
{
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &error) {
        throw TrainerError(where + ": header is not valid JSON: " + error.what());
    }
    if (!header.is_object())
        throw TrainerError(where + ": header is not a JSON object");
    SafetensorsHeader result;
    for (const auto &[name, info] : header.items()) {
        if (name != "__metadata__") {
            result.entries.push_back(parseEntry(name, info, dataBytes, where));
            continue;
        }
        if (!info.is_object())
            throw TrainerError(where + ": __metadata__ is not an object");
        for (const auto &[key, value] : info.items()) {
            if (!value.is_string())
                throw TrainerError(where + ": __metadata__." + key + " is not a string");
            result.metadata[key] = value.get<std::string>();
        }
    }
    // The buffers must tile the data section exactly: no overlap, no hole, nothing after.
    std::sort(result.entries.begin(), result.entries.end(), [](const SafetensorsEntry &a, const SafetensorsEntry &b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    uint64_t cursor = 0;
    for (const SafetensorsEntry &e : result.entries) {
        if (e.begin != cursor)
            throw TrainerError(where + ": tensor '" + e.name + "' starts at byte " + std::to_string(e.begin) +
                               ", expected " + std::to_string(cursor) + " (overlap or hole)");
        cursor = e.end;
    }
    if (cursor != dataBytes)
        throw TrainerError(where + ": " + std::to_string(dataBytes - cursor) + " bytes after the last tensor");
    return result;
}

} // namespace rdt
