// Reading config.json and preprocessor_config.json of a SigLIP folder.
#include "vision/SiglipConfig.h"

#include "model/TrainerError.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <vector>

namespace rdt {
namespace fs = std::filesystem;
namespace {

nlohmann::json readJson(const fs::path &path)
{
    std::ifstream in(path);
    if (!in)
        throw TrainerError("SigLIP: cannot open " + path.string());
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception &error) {
        throw TrainerError("SigLIP: " + path.string() + " is not JSON: " + error.what());
    }
}

template <typename T>
void take(const nlohmann::json &object, const char *key, T &value, const fs::path &path)
{
    if (!object.contains(key) || object[key].is_null())
        return;
    try {
        value = object[key].get<T>();
    } catch (const nlohmann::json::exception &) {
        throw TrainerError("SigLIP: " + path.string() + ": '" + key + "' has the wrong type (" +
                           object[key].dump() + ")");
    }
}

} // namespace

SiglipVisionConfig readSiglipVisionConfig(const std::string &dir)
{
    const fs::path path = fs::path(dir) / "config.json";
    const nlohmann::json top = readJson(path);
    // A SiglipModel config nests the tower's; a SiglipVisionModel config is the tower's.
    const nlohmann::json &vision = top.contains("vision_config") ? top["vision_config"] : top;
    if (!vision.is_object())
        throw TrainerError("SigLIP: " + path.string() + ": vision_config is not an object");
    SiglipVisionConfig c;
    take(vision, "hidden_size", c.hidden_size, path);
    take(vision, "intermediate_size", c.intermediate_size, path);
    take(vision, "num_hidden_layers", c.num_hidden_layers, path);
    take(vision, "num_attention_heads", c.num_attention_heads, path);
    take(vision, "num_channels", c.num_channels, path);
    take(vision, "image_size", c.image_size, path);
    take(vision, "patch_size", c.patch_size, path);
    take(vision, "layer_norm_eps", c.layer_norm_eps, path);
    std::string act = "gelu_pytorch_tanh";
    take(vision, "hidden_act", act, path);
    if (act != "gelu_pytorch_tanh")
        throw TrainerError("SigLIP: " + path.string() + ": hidden_act '" + act + "' is not gelu_pytorch_tanh");
    if (c.hidden_size <= 0 || c.num_attention_heads <= 0 || c.hidden_size % c.num_attention_heads != 0)
        throw TrainerError("SigLIP: " + path.string() + ": hidden_size " + std::to_string(c.hidden_size) +
                           " is not a positive multiple of num_attention_heads " +
                           std::to_string(c.num_attention_heads));
    if (c.patch_size <= 0 || c.image_size < c.patch_size || c.image_size % c.patch_size != 0)
        throw TrainerError("SigLIP: " + path.string() + ": image_size " + std::to_string(c.image_size) +
                           " is not a multiple of patch_size " + std::to_string(c.patch_size));
    if (c.num_hidden_layers < 0 || c.intermediate_size <= 0 || c.num_channels != 3)
        throw TrainerError("SigLIP: " + path.string() + ": num_hidden_layers, intermediate_size or "
                           "num_channels (must be 3) out of range");
    return c;
}

SiglipProcessorConfig readSiglipProcessorConfig(const std::string &dir, const SiglipVisionConfig &vision)
{
    SiglipProcessorConfig p;
    p.height = p.width = vision.image_size;
    const fs::path path = fs::path(dir) / "preprocessor_config.json";
    if (!fs::exists(path))
        return p;
    const nlohmann::json top = readJson(path);
    if (top.contains("size")) {
        take(top["size"], "height", p.height, path);
        take(top["size"], "width", p.width, path);
    }
    std::vector<double> mean(p.image_mean.begin(), p.image_mean.end());
    std::vector<double> stdev(p.image_std.begin(), p.image_std.end());
    take(top, "image_mean", mean, path);
    take(top, "image_std", stdev, path);
    if (mean.size() != 3 || stdev.size() != 3)
        throw TrainerError("SigLIP: " + path.string() + ": image_mean and image_std need 3 values");
    std::copy(mean.begin(), mean.end(), p.image_mean.begin());
    std::copy(stdev.begin(), stdev.end(), p.image_std.begin());
    take(top, "rescale_factor", p.rescale_factor, path);
    take(top, "resample", p.resample, path);
    if (p.resample != 3)
        throw TrainerError("SigLIP: " + path.string() + ": resample " + std::to_string(p.resample) +
                           " is not 3 (bicubic), the only filter supported");
    if (p.height != p.width)
        throw TrainerError("SigLIP: " + path.string() + ": size " + std::to_string(p.height) + "x" +
                           std::to_string(p.width) + " is not square");
    if (p.height != vision.image_size)
        throw TrainerError("SigLIP: " + path.string() + ": size " + std::to_string(p.height) +
                           " differs from config.json's image_size " + std::to_string(vision.image_size));
    return p;
}

} // namespace rdt
