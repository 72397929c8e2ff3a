// Reading and writing RdtConfig: base.yaml (yaml-cpp) and config.json (nlohmann-json).
#include "model/RdtConfig.h"

#include "model/TrainerError.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace rdt {
namespace {

std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw TrainerError("read config " + path + ": cannot open file");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Reads node[key] into value when present; a present key of the wrong type is an error
// that names the file and the dotted key.
template <typename T>
void readYaml(const YAML::Node &node, const char *key, const std::string &dotted,
              const std::string &source, T &value)
{
    if (!node || !node.IsMap() || !node[key])
        return;
    try {
        value = node[key].as<T>();
    } catch (const YAML::Exception &error) {
        throw TrainerError("config " + source + ": key " + dotted + ": " + error.msg);
    }
}

template <typename T>
void readJson(const nlohmann::json &node, const char *key, const std::string &dotted,
              const std::string &source, T &value)
{
    if (!node.is_object() || !node.contains(key) || node[key].is_null())
        return;
    try {
        value = node[key].get<T>();
    } catch (const nlohmann::json::exception &error) {
        throw TrainerError("config " + source + ": key " + dotted + ": " + error.what());
    }
}

RmsNormKind parseRmsNorm(const std::string &text, const std::string &source)
{
    if (text == "timm" || text == "timm_variance")
        return RmsNormKind::TimmVariance;
    if (text == "rms" || text == "true_rms" || text == "apex")
        return RmsNormKind::TrueRms;
    throw TrainerError("config " + source + ": key model.rdt.rms_norm: '" + text +
                       "' is neither 'timm' nor 'rms'");
}

std::string rmsNormName(RmsNormKind kind)
{
    return kind == RmsNormKind::TrueRms ? "rms" : "timm";
}

void checkAdaptor(const std::string &name, const std::string &value, const std::string &source)
{
    static const std::regex kMlpGelu("^mlp(\\d+)x_gelu$");
    if (value != "linear" && !std::regex_match(value, kMlpGelu))
        throw TrainerError("config " + source + ": key model." + name + ": unknown projector '" +
                           value + "' (linear or mlpNx_gelu)");
}

void checkPositive(int64_t value, const char *key, const std::string &source)
{
    if (value <= 0)
        throw TrainerError("config " + source + ": key " + key + " must be positive, is " +
                           std::to_string(value));
}

} // namespace

void RdtConfig::validate(const std::string &source) const
{
    checkPositive(img_history_size, "common.img_history_size", source);
    checkPositive(action_chunk_size, "common.action_chunk_size", source);
    checkPositive(num_cameras, "common.num_cameras", source);
    checkPositive(state_dim, "common.state_dim", source);
    checkPositive(lang_token_dim, "model.lang_token_dim", source);
    checkPositive(img_token_dim, "model.img_token_dim", source);
    checkPositive(state_token_dim, "model.state_token_dim", source);
    checkPositive(hidden_size, "model.rdt.hidden_size", source);
    checkPositive(depth, "model.rdt.depth", source);
    checkPositive(num_heads, "model.rdt.num_heads", source);
    checkPositive(max_lang_cond_len, "dataset.tokenizer_max_length", source);
    checkPositive(img_num_patches, "model.img_num_patches", source);
    checkPositive(num_train_timesteps, "model.noise_scheduler.num_train_timesteps", source);
    checkPositive(num_inference_timesteps, "model.noise_scheduler.num_inference_timesteps", source);
    if (hidden_size % num_heads != 0)
        throw TrainerError("config " + source + ": model.rdt.num_heads (" +
                           std::to_string(num_heads) + ") does not divide model.rdt.hidden_size (" +
                           std::to_string(hidden_size) + ")");
    // x_pos_embed gives half the width to the modality and half to the position, and each
    // half is a sin|cos pair, so the width must split into four.
    if (hidden_size % 4 != 0)
        throw TrainerError("config " + source + ": model.rdt.hidden_size (" +
                           std::to_string(hidden_size) + ") must be a multiple of 4");
    if (state_token_dim != state_dim)
        throw TrainerError("config " + source + ": model.state_token_dim (" +
                           std::to_string(state_token_dim) + ") differs from common.state_dim (" +
                           std::to_string(state_dim) + ")");
    checkAdaptor("lang_adaptor", lang_adaptor, source);
    checkAdaptor("img_adaptor", img_adaptor, source);
    checkAdaptor("state_adaptor", state_adaptor, source);
    if (beta_schedule != "squaredcos_cap_v2" && beta_schedule != "linear" &&
        beta_schedule != "scaled_linear")
        throw TrainerError("config " + source + ": model.noise_scheduler.beta_schedule '" +
                           beta_schedule + "' is not supported (squaredcos_cap_v2, linear, scaled_linear)");
    if (prediction_type != "sample" && prediction_type != "epsilon")
        throw TrainerError("config " + source + ": model.noise_scheduler.prediction_type '" +
                           prediction_type + "' is not supported (sample, epsilon)");
    if (ema_max_value < ema_min_value || ema_max_value > 1.0)
        throw TrainerError("config " + source + ": model.ema.max_value out of range");
}

RdtConfig rdtConfigFromBaseYaml(const std::string &yamlText, const std::string &source)
{
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
    } catch (const YAML::Exception &error) {
        throw TrainerError("config " + source + ": YAML parse error: " + error.what());
    }
    if (!root.IsMap() || !root["model"])
        throw TrainerError("config " + source + ": no 'model' section (RDT base.yaml schema expected)");
    RdtConfig c;
    const YAML::Node common = root["common"];
    readYaml(common, "img_history_size", "common.img_history_size", source, c.img_history_size);
    readYaml(common, "action_chunk_size", "common.action_chunk_size", source, c.action_chunk_size);
    readYaml(common, "num_cameras", "common.num_cameras", source, c.num_cameras);
    readYaml(common, "state_dim", "common.state_dim", source, c.state_dim);
    readYaml(root["dataset"], "tokenizer_max_length", "dataset.tokenizer_max_length", source,
             c.max_lang_cond_len);
    const YAML::Node model = root["model"];
    readYaml(model, "lang_adaptor", "model.lang_adaptor", source, c.lang_adaptor);
    readYaml(model, "img_adaptor", "model.img_adaptor", source, c.img_adaptor);
    readYaml(model, "state_adaptor", "model.state_adaptor", source, c.state_adaptor);
    readYaml(model, "lang_token_dim", "model.lang_token_dim", source, c.lang_token_dim);
    readYaml(model, "img_token_dim", "model.img_token_dim", source, c.img_token_dim);
    readYaml(model, "state_token_dim", "model.state_token_dim", source, c.state_token_dim);
    readYaml(model, "img_num_patches", "model.img_num_patches", source, c.img_num_patches);
    const YAML::Node rdtNode = model["rdt"];
    readYaml(rdtNode, "hidden_size", "model.rdt.hidden_size", source, c.hidden_size);
    readYaml(rdtNode, "depth", "model.rdt.depth", source, c.depth);
    readYaml(rdtNode, "num_heads", "model.rdt.num_heads", source, c.num_heads);
    std::string rmsNorm = rmsNormName(c.rms_norm);
    readYaml(rdtNode, "rms_norm", "model.rdt.rms_norm", source, rmsNorm);
    c.rms_norm = parseRmsNorm(rmsNorm, source);
    const YAML::Node noise = model["noise_scheduler"];
    readYaml(noise, "num_train_timesteps", "model.noise_scheduler.num_train_timesteps", source,
             c.num_train_timesteps);
    readYaml(noise, "num_inference_timesteps", "model.noise_scheduler.num_inference_timesteps",
             source, c.num_inference_timesteps);
    readYaml(noise, "beta_schedule", "model.noise_scheduler.beta_schedule", source, c.beta_schedule);
    readYaml(noise, "prediction_type", "model.noise_scheduler.prediction_type", source,
             c.prediction_type);
    readYaml(noise, "clip_sample", "model.noise_scheduler.clip_sample", source, c.clip_sample);
    const YAML::Node ema = model["ema"];
    readYaml(ema, "update_after_step", "model.ema.update_after_step", source, c.ema_update_after_step);
    readYaml(ema, "inv_gamma", "model.ema.inv_gamma", source, c.ema_inv_gamma);
    readYaml(ema, "power", "model.ema.power", source, c.ema_power);
    readYaml(ema, "min_value", "model.ema.min_value", source, c.ema_min_value);
    readYaml(ema, "max_value", "model.ema.max_value", source, c.ema_max_value);
    c.validate(source);
    return c;
}

RdtConfig rdtConfigFromHfJson(const nlohmann::json &json, const std::string &source)
{
    if (!json.is_object() || !json.contains("config"))
        throw TrainerError("config " + source + ": no 'config' object (Hugging Face RDTRunner layout expected)");
    RdtConfig c;
    readJson(json, "action_dim", "action_dim", source, c.state_dim);
    readJson(json, "pred_horizon", "pred_horizon", source, c.action_chunk_size);
    readJson(json, "lang_token_dim", "lang_token_dim", source, c.lang_token_dim);
    readJson(json, "img_token_dim", "img_token_dim", source, c.img_token_dim);
    readJson(json, "state_token_dim", "state_token_dim", source, c.state_token_dim);
    readJson(json, "max_lang_cond_len", "max_lang_cond_len", source, c.max_lang_cond_len);
    const nlohmann::json &model = json["config"];
    readJson(model, "lang_adaptor", "config.lang_adaptor", source, c.lang_adaptor);
    readJson(model, "img_adaptor", "config.img_adaptor", source, c.img_adaptor);
    readJson(model, "state_adaptor", "config.state_adaptor", source, c.state_adaptor);
    if (model.contains("rdt")) {
        const nlohmann::json &r = model["rdt"];
        readJson(r, "hidden_size", "config.rdt.hidden_size", source, c.hidden_size);
        readJson(r, "depth", "config.rdt.depth", source, c.depth);
        readJson(r, "num_heads", "config.rdt.num_heads", source, c.num_heads);
    }
    if (model.contains("noise_scheduler")) {
        const nlohmann::json &n = model["noise_scheduler"];
        readJson(n, "num_train_timesteps", "config.noise_scheduler.num_train_timesteps", source,
                 c.num_train_timesteps);
        readJson(n, "num_inference_timesteps", "config.noise_scheduler.num_inference_timesteps",
                 source, c.num_inference_timesteps);
        readJson(n, "beta_schedule", "config.noise_scheduler.beta_schedule", source, c.beta_schedule);
        readJson(n, "prediction_type", "config.noise_scheduler.prediction_type", source,
                 c.prediction_type);
        readJson(n, "clip_sample", "config.noise_scheduler.clip_sample", source, c.clip_sample);
    }
    if (model.contains("ema")) {
        const nlohmann::json &e = model["ema"];
        readJson(e, "update_after_step", "config.ema.update_after_step", source, c.ema_update_after_step);
        readJson(e, "inv_gamma", "config.ema.inv_gamma", source, c.ema_inv_gamma);
        readJson(e, "power", "config.ema.power", source, c.ema_power);
        readJson(e, "min_value", "config.ema.min_value", source, c.ema_min_value);
        readJson(e, "max_value", "config.ema.max_value", source, c.ema_max_value);
    }
    // img_pos_embed_config [["image", [history, cameras, -patches]]] carries the image
    // layout; img_cond_len must agree with it.
    if (json.contains("img_pos_embed_config") && json["img_pos_embed_config"].is_array() &&
        !json["img_pos_embed_config"].empty()) {
        const nlohmann::json &entry = json["img_pos_embed_config"][0];
        if (entry.is_array() && entry.size() == 2 && entry[1].is_array() && entry[1].size() == 3) {
            c.img_history_size = std::abs(entry[1][0].get<int64_t>());
            c.num_cameras = std::abs(entry[1][1].get<int64_t>());
            c.img_num_patches = std::abs(entry[1][2].get<int64_t>());
        }
    }
    int64_t imgCondLen = c.imgCondLen();
    readJson(json, "img_cond_len", "img_cond_len", source, imgCondLen);
    if (imgCondLen != c.imgCondLen())
        throw TrainerError("config " + source + ": img_cond_len " + std::to_string(imgCondLen) +
                           " does not match img_pos_embed_config (" + std::to_string(c.imgCondLen()) + ")");
    if (json.contains("rdt_trainer")) {
        std::string rmsNorm = rmsNormName(c.rms_norm);
        readJson(json["rdt_trainer"], "rms_norm", "rdt_trainer.rms_norm", source, rmsNorm);
        c.rms_norm = parseRmsNorm(rmsNorm, source);
    }
    c.validate(source);
    return c;
}

RdtConfig loadRdtConfig(const std::string &path)
{
    namespace fs = std::filesystem;
    std::string file = path;
    if (fs::is_directory(path))
        file = (fs::path(path) / "config.json").string();
    if (!fs::exists(file))
        throw TrainerError("read config " + file + ": no such file");
    const std::string ext = fs::path(file).extension().string();
    if (ext == ".json") {
        nlohmann::json json;
        try {
            json = nlohmann::json::parse(readText(file));
        } catch (const nlohmann::json::exception &error) {
            throw TrainerError("config " + file + ": JSON parse error: " + error.what());
        }
        return rdtConfigFromHfJson(json, file);
    }
    return rdtConfigFromBaseYaml(readText(file), file);
}

nlohmann::json rdtConfigToHfJson(const RdtConfig &c)
{
    nlohmann::json model = {
        {"lang_adaptor", c.lang_adaptor},
        {"img_adaptor", c.img_adaptor},
        {"state_adaptor", c.state_adaptor},
        {"lang_token_dim", c.lang_token_dim},
        {"img_token_dim", c.img_token_dim},
        {"state_token_dim", c.state_token_dim},
        {"rdt", {{"hidden_size", c.hidden_size}, {"depth", c.depth}, {"num_heads", c.num_heads},
                 {"cond_pos_embed_type", "multimodal"}}},
        {"noise_scheduler", {{"type", "ddpm"}, {"num_train_timesteps", c.num_train_timesteps},
                             {"num_inference_timesteps", c.num_inference_timesteps},
                             {"beta_schedule", c.beta_schedule},
                             {"prediction_type", c.prediction_type},
                             {"clip_sample", c.clip_sample}}},
        {"ema", {{"update_after_step", c.ema_update_after_step}, {"inv_gamma", c.ema_inv_gamma},
                 {"power", c.ema_power}, {"min_value", c.ema_min_value},
                 {"max_value", c.ema_max_value}}},
    };
    nlohmann::json json = {
        {"action_dim", c.state_dim},
        {"pred_horizon", c.action_chunk_size},
        {"config", model},
        {"lang_token_dim", c.lang_token_dim},
        {"img_token_dim", c.img_token_dim},
        {"state_token_dim", c.state_token_dim},
        {"max_lang_cond_len", c.max_lang_cond_len},
        {"img_cond_len", c.imgCondLen()},
        {"img_pos_embed_config",
         nlohmann::json::array({nlohmann::json::array(
             {"image", {c.img_history_size, c.num_cameras, -c.img_num_patches}})})},
        {"lang_pos_embed_config",
         nlohmann::json::array({nlohmann::json::array({"lang", -c.max_lang_cond_len})})},
    };
    // Only RDTRunner's own constructor arguments by default: the hub mixin passes them to
    // it (no "dtype": a string there would break RDT's self.to(dtype)). Our extension is
    // written only when it departs from the official behaviour.
    if (c.rms_norm != RmsNormKind::TimmVariance)
        json["rdt_trainer"] = {{"rms_norm", rmsNormName(c.rms_norm)}};
    return json;
}

std::string rdtConfigToBaseYaml(const RdtConfig &c)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "common" << YAML::Value << YAML::BeginMap
        << YAML::Key << "img_history_size" << YAML::Value << c.img_history_size
        << YAML::Key << "action_chunk_size" << YAML::Value << c.action_chunk_size
        << YAML::Key << "num_cameras" << YAML::Value << c.num_cameras
        << YAML::Key << "state_dim" << YAML::Value << c.state_dim << YAML::EndMap;
    out << YAML::Key << "dataset" << YAML::Value << YAML::BeginMap
        << YAML::Key << "tokenizer_max_length" << YAML::Value << c.max_lang_cond_len << YAML::EndMap;
    out << YAML::Key << "model" << YAML::Value << YAML::BeginMap
        << YAML::Key << "lang_adaptor" << YAML::Value << c.lang_adaptor
        << YAML::Key << "img_adaptor" << YAML::Value << c.img_adaptor
        << YAML::Key << "state_adaptor" << YAML::Value << c.state_adaptor
        << YAML::Key << "lang_token_dim" << YAML::Value << c.lang_token_dim
        << YAML::Key << "img_token_dim" << YAML::Value << c.img_token_dim
        << YAML::Key << "state_token_dim" << YAML::Value << c.state_token_dim
        << YAML::Key << "img_num_patches" << YAML::Value << c.img_num_patches
        << YAML::Key << "rdt" << YAML::Value << YAML::BeginMap
        << YAML::Key << "hidden_size" << YAML::Value << c.hidden_size
        << YAML::Key << "depth" << YAML::Value << c.depth
        << YAML::Key << "num_heads" << YAML::Value << c.num_heads
        << YAML::Key << "cond_pos_embed_type" << YAML::Value << "multimodal"
        << YAML::Key << "rms_norm" << YAML::Value << rmsNormName(c.rms_norm) << YAML::EndMap
        << YAML::Key << "noise_scheduler" << YAML::Value << YAML::BeginMap
        << YAML::Key << "type" << YAML::Value << "ddpm"
        << YAML::Key << "num_train_timesteps" << YAML::Value << c.num_train_timesteps
        << YAML::Key << "num_inference_timesteps" << YAML::Value << c.num_inference_timesteps
        << YAML::Key << "beta_schedule" << YAML::Value << c.beta_schedule
        << YAML::Key << "prediction_type" << YAML::Value << c.prediction_type
        << YAML::Key << "clip_sample" << YAML::Value << c.clip_sample << YAML::EndMap
        << YAML::Key << "ema" << YAML::Value << YAML::BeginMap
        << YAML::Key << "update_after_step" << YAML::Value << c.ema_update_after_step
        << YAML::Key << "inv_gamma" << YAML::Value << c.ema_inv_gamma
        << YAML::Key << "power" << YAML::Value << c.ema_power
        << YAML::Key << "min_value" << YAML::Value << c.ema_min_value
        << YAML::Key << "max_value" << YAML::Value << c.ema_max_value << YAML::EndMap;
    out << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

} // namespace rdt
