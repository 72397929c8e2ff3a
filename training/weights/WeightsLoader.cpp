// Finding, reading and applying pretrained weights.
#include "weights/WeightsLoader.h"

#include "model/TrainerError.h"
#include "weights/SafetensorsFile.h"
#include "weights/TorchArchive.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace rdt {
namespace {

// The names RDT's hub mixin looks for, in its order.
constexpr const char *kWeightFileNames[] = {"model.safetensors", "pytorch_model.bin"};

std::string shapeText(at::IntArrayRef sizes)
{
    std::ostringstream s;
    s << sizes;
    return s.str();
}

} // namespace

std::string WeightsReport::summary() const
{
    std::ostringstream s;
    s << "loaded " << loaded << " tensors from " << file;
    s << "; missing " << missing.size();
    for (size_t i = 0; i < missing.size(); ++i)
        s << (i ? ", " : " (") << missing[i] << (i + 1 == missing.size() ? ")" : "");
    s << "; unexpected " << unexpected.size();
    for (size_t i = 0; i < unexpected.size(); ++i)
        s << (i ? ", " : " (") << unexpected[i] << (i + 1 == unexpected.size() ? ")" : "");
    return s.str();
}

std::string resolveWeightsFile(const std::string &pathOrFolder)
{
    namespace fs = std::filesystem;
    if (fs::is_regular_file(pathOrFolder))
        return pathOrFolder;
    if (!fs::is_directory(pathOrFolder))
        throw TrainerError("pretrained weights " + pathOrFolder + ": no such file or folder");
    for (const char *name : kWeightFileNames) {
        const fs::path candidate = fs::path(pathOrFolder) / name;
        if (fs::is_regular_file(candidate))
            return candidate.string();
    }
    throw TrainerError("pretrained weights " + pathOrFolder + ": folder holds neither model.safetensors nor pytorch_model.bin");
}

NamedTensors readWeightsFile(const std::string &file)
{
    std::ifstream in(file, std::ios::binary);
    char magic[2] = {0, 0};
    if (!in || !in.read(magic, 2))
        throw TrainerError("read weights " + file + ": cannot open or empty");
    // torch.save archives are zips ("PK"); safetensors starts with a little-endian length.
    if (magic[0] == 'P' && magic[1] == 'K')
        return loadTorchStateDict(file);
    return readSafetensors(file).tensors;
}

NamedTensors stateDictOf(const torch::nn::Module &module)
{
    NamedTensors result;
    for (const auto &item : module.named_parameters(/*recurse=*/true))
        result.emplace_back(item.key(), item.value());
    for (const auto &item : module.named_buffers(/*recurse=*/true))
        result.emplace_back(item.key(), item.value());
    return result;
}

WeightsReport loadWeightsInto(torch::nn::Module &module, const NamedTensors &tensors, const std::string &file)
{
    WeightsReport report;
    report.file = file;
    std::map<std::string, const at::Tensor *> fromFile;
    for (const auto &[name, tensor] : tensors)
        fromFile[name] = &tensor;
    const NamedTensors target = stateDictOf(module);
    std::vector<std::string> mismatched;
    for (const auto &[name, tensor] : target) {
        const auto it = fromFile.find(name);
        if (it == fromFile.end())
            report.missing.push_back(name);
        else if (it->second->sizes() != tensor.sizes())
            mismatched.push_back(name + " " + shapeText(it->second->sizes()) + " in the file, " +
                                 shapeText(tensor.sizes()) + " in the model");
    }
    if (!mismatched.empty()) {
        std::string message = "load weights " + file + ": " + std::to_string(mismatched.size()) + " shape mismatch(es): ";
        for (size_t i = 0; i < mismatched.size(); ++i)
            message += (i ? "; " : "") + mismatched[i];
        throw TrainerError(message);
    }
    std::map<std::string, bool> known;
    for (const auto &[name, tensor] : target)
        known[name] = true;
    for (const auto &[name, tensor] : tensors) {
        if (!known.count(name))
            report.unexpected.push_back(name);
    }
    torch::NoGradGuard noGrad;
    for (const auto &[name, tensor] : target) {
        const auto it = fromFile.find(name);
        if (it == fromFile.end())
            continue;
        at::Tensor destination = tensor;
        destination.copy_(*it->second);
        ++report.loaded;
    }
    return report;
}

WeightsReport loadPretrained(torch::nn::Module &module, const std::string &pathOrFolder)
{
    const std::string file = resolveWeightsFile(pathOrFolder);
    return loadWeightsInto(module, readWeightsFile(file), file);
}

} // namespace rdt
