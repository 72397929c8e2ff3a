// safetensors reader and writer.
#include "weights/SafetensorsFile.h"

#include "model/TrainerError.h"
#include "weights/SafetensorsHeader.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

namespace rdt {
namespace {

// The header is padded with spaces so the data starts 8-byte aligned (as the reference
// writer does), which lets readers map it and view it in place.
constexpr uint64_t kHeaderAlignment = 8;

struct DtypeName {
    const char *name;
    torch::ScalarType type;
};

// The safetensors dtype strings that LibTorch can hold.
constexpr DtypeName kDtypes[] = {
    {"BOOL", torch::kBool},     {"U8", torch::kUInt8},     {"I8", torch::kInt8},
    {"I16", torch::kInt16},     {"I32", torch::kInt32},    {"I64", torch::kInt64},
    {"F16", torch::kFloat16},   {"BF16", torch::kBFloat16}, {"F32", torch::kFloat32},
    {"F64", torch::kFloat64},
};

bool dtypeFromName(const std::string &name, torch::ScalarType &type)
{
    for (const DtypeName &d : kDtypes) {
        if (name == d.name) {
            type = d.type;
            return true;
        }
    }
    return false;
}

const char *nameFromDtype(torch::ScalarType type)
{
    for (const DtypeName &d : kDtypes) {
        if (d.type == type)
            return d.name;
    }
    return nullptr;
}

struct FileCloser {
    void operator()(std::FILE *f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

} // namespace

SafetensorsContents readSafetensors(const std::string &path)
{
    const std::string where = "safetensors " + path;
    FilePtr file(std::fopen(path.c_str(), "rb"));
    if (!file)
        throw TrainerError("read " + where + ": cannot open file");
    std::error_code ec;
    const uint64_t fileSize = std::filesystem::file_size(path, ec);
    if (ec || fileSize < 8)
        throw TrainerError(where + ": file too short for a header length (" + std::to_string(fileSize) + " bytes)");
    unsigned char lengthBytes[8];
    if (std::fread(lengthBytes, 1, 8, file.get()) != 8)
        throw TrainerError(where + ": cannot read header length");
    const uint64_t headerLength = SafetensorsHeader::length(lengthBytes);
    if (headerLength > SafetensorsHeader::kMaxBytes || headerLength > fileSize - 8)
        throw TrainerError(where + ": header length " + std::to_string(headerLength) +
                           " exceeds the file (" + std::to_string(fileSize) + " bytes) or the 100 MB limit");
    std::string headerText(headerLength, '\0');
    if (std::fread(headerText.data(), 1, headerLength, file.get()) != headerLength)
        throw TrainerError(where + ": header truncated");
    const uint64_t dataStart = 8 + headerLength;
    SafetensorsHeader header = SafetensorsHeader::parse(headerText, fileSize - dataStart, where);
    SafetensorsContents contents;
    contents.metadata = std::move(header.metadata);

    for (const SafetensorsEntry &e : header.entries) {
        torch::ScalarType dtype = torch::kFloat32;
        dtypeFromName(e.dtype, dtype);   // the header accepts only names it maps
        torch::Tensor tensor = torch::empty(e.shape, torch::TensorOptions().dtype(dtype));
        const uint64_t bytes = e.end - e.begin;
        if (bytes > 0) {
            if (std::fseek(file.get(), static_cast<long>(dataStart + e.begin), SEEK_SET) != 0 ||
                std::fread(tensor.data_ptr(), 1, bytes, file.get()) != bytes)
                throw TrainerError(where + ": cannot read tensor '" + e.name + "'");
        }
        contents.tensors.emplace_back(e.name, std::move(tensor));
    }
    return contents;
}

void writeSafetensors(const std::string &path, const NamedTensors &tensors,
                      const std::map<std::string, std::string> &metadata)
{
    // Largest elements first, then by name, as the reference writer orders them, so every
    // tensor stays aligned to its element size.
    std::vector<size_t> order(tensors.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const size_t sa = tensors[a].second.element_size(), sb = tensors[b].second.element_size();
        return sa != sb ? sa > sb : tensors[a].first < tensors[b].first;
    });
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::vector<torch::Tensor> data;
    uint64_t offset = 0;
    for (size_t i : order) {
        const auto &[name, tensor] = tensors[i];
        if (header.contains(name))
            throw TrainerError("write safetensors " + path + ": tensor name '" + name + "' repeats");
        const char *dtype = nameFromDtype(tensor.scalar_type());
        if (!dtype)
            throw TrainerError("write safetensors " + path + ": tensor '" + name + "' has unsupported dtype " +
                               std::string(c10::toString(tensor.scalar_type())));
        torch::Tensor cpu = tensor.detach().to(torch::kCPU).contiguous();
        const uint64_t bytes = cpu.numel() * cpu.element_size();
        header[name] = {{"dtype", dtype}, {"shape", cpu.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        data.push_back(std::move(cpu));
    }
    std::string headerText = header.dump();
    headerText.append((kHeaderAlignment - headerText.size() % kHeaderAlignment) % kHeaderAlignment, ' ');

    const std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw TrainerError("write safetensors " + temp + ": cannot create file");
        unsigned char lengthBytes[8];
        uint64_t length = headerText.size();
        for (int i = 0; i < 8; ++i, length >>= 8)
            lengthBytes[i] = static_cast<unsigned char>(length & 0xff);
        out.write(reinterpret_cast<const char *>(lengthBytes), 8);
        out.write(headerText.data(), static_cast<std::streamsize>(headerText.size()));
        for (const torch::Tensor &t : data)
            out.write(static_cast<const char *>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
        out.flush();
        if (!out)
            throw TrainerError("write safetensors " + temp + ": write failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec)
        throw TrainerError("write safetensors " + path + ": rename from .tmp failed: " + ec.message());
}

} // namespace rdt
