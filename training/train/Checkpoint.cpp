// Checkpoint folders: write to .tmp, rename, prune; read back for --resume_from_checkpoint.
#include "train/Checkpoint.h"

#include "model/TrainerError.h"
#include "weights/SafetensorsFile.h"
#include "weights/WeightsLoader.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace rdt {
namespace fs = std::filesystem;
namespace {

constexpr const char *kPrefix = "checkpoint-";

void writeText(const fs::path &path, const std::string &text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out)
        throw TrainerError("write " + path.string() + ": failed (disk full?)");
}

std::optional<int64_t> stepOf(const std::string &name)
{
    if (name.rfind(kPrefix, 0) != 0)
        return std::nullopt;
    const std::string digits = name.substr(std::string(kPrefix).size());
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit))
        return std::nullopt;
    return std::stoll(digits);
}

void loadInto(torch::nn::Module &module, const fs::path &file)
{
    const WeightsReport report = loadWeightsInto(module, readSafetensors(file.string()).tensors, file.string());
    if (!report.missing.empty() || !report.unexpected.empty())
        throw TrainerError("resume: " + report.summary());
}

} // namespace

std::vector<std::string> listCheckpoints(const std::string &outputDir)
{
    std::vector<std::pair<int64_t, std::string>> found;
    if (fs::is_directory(outputDir)) {
        for (const auto &entry : fs::directory_iterator(outputDir)) {
            const std::string name = entry.path().filename().string();
            if (auto step = stepOf(name); step && entry.is_directory())
                found.emplace_back(*step, entry.path().string());
        }
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> result;
    for (auto &[step, path] : found)
        result.push_back(path);
    return result;
}

std::optional<std::string> latestCheckpoint(const std::string &outputDir)
{
    const auto all = listCheckpoints(outputDir);
    if (all.empty())
        return std::nullopt;
    return all.back();
}

void pruneCheckpoints(const std::string &outputDir, int64_t keep)
{
    if (keep < 0)
        return;
    const auto all = listCheckpoints(outputDir);
    for (size_t i = 0; i + keep < all.size(); ++i) {
        std::error_code ec;
        fs::remove_all(all[i], ec);
        if (ec)
            throw TrainerError("prune checkpoint " + all[i] + ": " + ec.message());
    }
}

std::string saveCheckpoint(const std::string &outputDir, const RdtConfig &config, CheckpointModules m,
                           const TrainerState &state)
{
    const std::string name = kPrefix + std::to_string(state.step);
    const fs::path final = fs::path(outputDir) / name;
    const fs::path temp = fs::path(outputDir) / ("." + name + ".tmp");
    std::error_code ec;
    fs::remove_all(temp, ec);
    fs::create_directories(temp / "ema", ec);
    if (ec)
        throw TrainerError("create " + temp.string() + ": " + ec.message());

    writeText(temp / "config.json", rdtConfigToHfJson(config).dump(2) + "\n");
    writeSafetensors((temp / "model.safetensors").string(), stateDictOf(*m.runner), {{"format", "pt"}});
    writeSafetensors((temp / "ema" / "model.safetensors").string(), stateDictOf(*m.ema.averaged()), {{"format", "pt"}});
    writeSafetensors((temp / "encoders.safetensors").string(), stateDictOf(m.encoders));
    try {
        torch::serialize::OutputArchive archive;
        m.optimizer.save(archive);
        archive.save_to((temp / "optimizer.pt").string());
    } catch (const c10::Error &error) {
        throw TrainerError("write " + (temp / "optimizer.pt").string() + ": " + error.what_without_backtrace());
    }
    writeSafetensors((temp / "rng_state.safetensors").string(), {{"noise_generator", state.rng_state}});
    const nlohmann::json trainerState = {
        {"step", state.step}, {"epoch", state.epoch},
        {"data_position", {{"seed", state.data_seed}, {"next_batch", state.data_next_batch},
                           {"next_sample", state.data_next_sample}, {"global_batch", state.data_global_batch}}},
        {"ema_optimization_step", state.ema_step},
    };
    writeText(temp / "trainer_state.json", trainerState.dump(2) + "\n");

    fs::remove_all(final, ec);
    fs::rename(temp, final, ec);
    if (ec)
        throw TrainerError("rename " + temp.string() + " to " + final.string() + ": " + ec.message());
    return name;
}

TrainerState readTrainerState(const std::string &folder)
{
    const fs::path dir(folder);
    TrainerState state;
    const fs::path statePath = dir / "trainer_state.json";
    try {
        std::ifstream in(statePath);
        if (!in)
            throw TrainerError("resume: cannot open " + statePath.string());
        const nlohmann::json json = nlohmann::json::parse(in);
        state.step = json.at("step").get<int64_t>();
        state.epoch = json.at("epoch").get<double>();
        state.data_seed = json.at("data_position").at("seed").get<uint64_t>();
        state.data_next_batch = json.at("data_position").at("next_batch").get<int64_t>();
        state.data_next_sample = json.at("data_position").value("next_sample", int64_t(-1));
        state.data_global_batch = json.at("data_position").value("global_batch", int64_t(-1));
        state.ema_step = json.at("ema_optimization_step").get<int64_t>();
    } catch (const nlohmann::json::exception &error) {
        throw TrainerError("resume: " + statePath.string() + ": " + error.what());
    }
    const SafetensorsContents rng = readSafetensors((dir / "rng_state.safetensors").string());
    if (rng.tensors.size() != 1 || rng.tensors[0].first != "noise_generator")
        throw TrainerError("resume: " + (dir / "rng_state.safetensors").string() + " lacks noise_generator");
    state.rng_state = rng.tensors[0].second;
    return state;
}

TrainerState loadCheckpoint(const std::string &folder, CheckpointModules m)
{
    const fs::path dir(folder);
    if (!fs::is_directory(dir))
        throw TrainerError("resume from " + folder + ": no such checkpoint folder");
    loadInto(*m.runner, dir / "model.safetensors");
    loadInto(*m.ema.averaged(), dir / "ema" / "model.safetensors");
    loadInto(m.encoders, dir / "encoders.safetensors");
    try {
        torch::serialize::InputArchive archive;
        archive.load_from((dir / "optimizer.pt").string());
        m.optimizer.load(archive);
    } catch (const c10::Error &error) {
        throw TrainerError("resume: read " + (dir / "optimizer.pt").string() + ": " + error.what_without_backtrace());
    }
    const TrainerState state = readTrainerState(folder);
    m.ema.setOptimizationStep(state.ema_step);
    return state;
}

} // namespace rdt
