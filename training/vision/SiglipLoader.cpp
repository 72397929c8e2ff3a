// Loading a SigLIP folder's vision tower.
#include "vision/SiglipLoader.h"

#include "model/TrainerError.h"
#include "weights/WeightsLoader.h"

#include <torch/torch.h>

#include <filesystem>

namespace rdt {
namespace {

constexpr const char *kTowerPrefix = "vision_model.";
constexpr const char *kHeadPrefix = "vision_model.head.";

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

LoadedSiglip loadSiglipFolder(const std::string &dir)
{
    if (!std::filesystem::is_directory(dir))
        throw TrainerError("SigLIP: " + dir + " is not a folder (a Hugging Face SigLIP folder with config.json "
                           "and model.safetensors, e.g. google/siglip-so400m-patch14-384)");
    LoadedSiglip loaded;
    const SiglipVisionConfig config = readSiglipVisionConfig(dir);
    loaded.processor = readSiglipProcessorConfig(dir, config);
    loaded.tower = SiglipVisionTower(config);
    loaded.weightsFile = resolveWeightsFile(dir);
    NamedTensors towerTensors;
    for (auto &[name, tensor] : readWeightsFile(loaded.weightsFile)) {
        if (startsWith(name, kTowerPrefix) && !startsWith(name, kHeadPrefix) &&
            name != "vision_model.embeddings.position_ids")
            towerTensors.emplace_back(name.substr(std::string(kTowerPrefix).size()), std::move(tensor));
    }
    const WeightsReport report = loadWeightsInto(*loaded.tower, towerTensors, loaded.weightsFile);
    if (!report.missing.empty()) {
        std::string names;
        for (const std::string &name : report.missing)
            names += (names.empty() ? "" : ", ") + std::string(kTowerPrefix) + name;
        throw TrainerError("SigLIP: " + loaded.weightsFile + " lacks " + std::to_string(report.missing.size()) +
                           " vision tower tensor(s): " + names);
    }
    if (!report.unexpected.empty())
        throw TrainerError("SigLIP: " + loaded.weightsFile + " holds vision_model." + report.unexpected.front() +
                           " (and " + std::to_string(report.unexpected.size() - 1) +
                           " more) that config.json's vision_config has no place for");
    for (torch::Tensor &p : loaded.tower->parameters())
        p.requires_grad_(false);
    loaded.tower->eval();
    return loaded;
}

} // namespace rdt
