// The eval loop. Reads top to bottom: setup helpers, then runEval.
#include "eval/Evaluator.h"

#include "data/Layout.h"
#include "eval/EpisodePredictor.h"
#include "eval/EvalCheckpoint.h"
#include "eval/EvalEpisodes.h"
#include "eval/EvalPolicy.h"
#include "eval/EvalReport.h"
#include "eval/RunArguments.h"
#include "model/TrainerError.h"
#include "train/MetricsLog.h"
#include "video/EpisodeVideo.h"
#include "video/VideoEncoder.h"

#include <torch/torch.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

namespace rdt {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxSlugLength = 60;

torch::Device evalDevice(const std::string &name)
{
    if (name == "cpu")
        return torch::kCPU;
    if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
        if (!torch::cuda::is_available())
            throw TrainerError("--device " + name + ": CUDA is not available in this LibTorch build or machine");
        return torch::Device(name);
    }
    throw TrainerError("--device '" + name + "' is neither cpu nor cuda");
}

// "put the black bowl on the plate" -> "put_the_black_bowl_on_the_plate".
std::string slug(const std::string &task)
{
    std::string out;
    for (char c : task) {
        const bool word = std::isalnum(static_cast<unsigned char>(c)) != 0;
        if (word)
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (!out.empty() && out.back() != '_')
            out += '_';
        if (out.size() >= kMaxSlugLength)
            break;
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    return out.empty() ? "task" : out;
}

void createFolder(const fs::path &folder, const std::string &what)
{
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec)
        throw TrainerError(what + " " + folder.string() + ": cannot create: " + ec.message());
}

// Creating and removing a file is the only sure test (permissions, read-only mounts, ACLs).
void requireWritable(const fs::path &folder, const std::string &what)
{
    createFolder(folder, what);
    const fs::path probe = folder / ".rdt-eval-write-test";
    std::FILE *file = std::fopen(probe.c_str(), "wb");
    if (!file)
        throw TrainerError(what + " " + folder.string() + " is not writable: " + std::strerror(errno));
    std::fclose(file);
    std::remove(probe.c_str());
}

std::vector<LiberoAction> demonstratedActions(const data::LiberoFile &file, const std::string &demo)
{
    auto arrays = file.readDemo(demo);
    if (!arrays)
        throw TrainerError(arrays.error());
    std::vector<LiberoAction> actions(static_cast<size_t>(arrays->steps));
    for (int t = 0; t < arrays->steps; ++t)
        for (int d = 0; d < kLiberoActionDims; ++d)
            actions[t][d] = arrays->actions[static_cast<size_t>(t) * kLiberoActionDims + d];
    return actions;
}

void checkOptions(const EvalOptions &o)
{
    if (o.checkpoint.empty())
        throw TrainerError("eval: --checkpoint is required");
    if (o.exec_horizon < 1 || o.exec_horizon > data::kActionChunkSize)
        throw TrainerError("--exec_horizon " + std::to_string(o.exec_horizon) + " is outside 1.." +
                           std::to_string(data::kActionChunkSize) + " (the action chunk's length)");
    if (o.batch_size < 1)
        throw TrainerError("--batch_size must be positive");
    if (o.record_video && !VideoEncoder::available())
        throw TrainerError("--record_video: " + VideoEncoder::unavailableReason());
}

} // namespace

EvalSummary runEval(const EvalOptions &o)
{
    checkOptions(o);
    const torch::Device device = evalDevice(o.device);
    const EvalCheckpoint checkpoint = locateEvalCheckpoint(o.checkpoint, o.weights);
    const RunArguments run = readRunArguments(checkpoint.run_folder);
    std::string dataset = o.dataset;
    if (dataset.empty() && run.options.dataset != "-")
        dataset = run.options.dataset;
    if (dataset.empty())
        throw TrainerError("eval: --dataset is required (the run folder " + checkpoint.run_folder +
                           " records none)");

    const fs::path outputDir = o.output_dir.empty() ? fs::path(checkpoint.run_folder) / "eval" / checkpoint.name
                                                    : fs::path(o.output_dir);
    requireWritable(outputDir, "--output_dir");
    createFolder(outputDir / "actions", "--output_dir");
    const fs::path videoDir = o.video_output_dir.empty() ? outputDir / "videos" : fs::path(o.video_output_dir);
    if (o.record_video)
        requireWritable(videoDir, "--video_output_dir");

    // A new eval of this checkpoint replaces the previous one's events.
    const fs::path eventsPath = outputDir / "events.jsonl";
    std::remove(eventsPath.c_str());
    MetricsLog events(eventsPath.string());
    try {
        const EvalEpisodes selection = selectEvalEpisodes(dataset, o.episodes, static_cast<int>(run.options.holdout_every));
        const data::LiberoCatalog &catalog = selection.catalog;
        for (int i : selection.selected) {
            const data::LiberoEpisode &e = catalog.episodes()[i];
            if (e.steps < o.exec_horizon)
                throw TrainerError(catalog.files()[e.file_index] + ": data/" + e.demo + " has " +
                                   std::to_string(e.steps) + " steps, fewer than one chunk (--exec_horizon " +
                                   std::to_string(o.exec_horizon) + "); leave it out with --episodes");
        }
        EvalPolicy policy = loadEvalPolicy(checkpoint, run.options, catalog.imageHeight(), catalog.imageWidth(), device);
        std::cerr << "eval: " << policy.summary << "; run arguments from "
                  << (run.source.empty() ? "defaults (no run.yaml or .rdt/trainer-args)" : run.source) << "; "
                  << selection.selected.size() << (selection.held_out ? " held-out" : "") << " episodes of "
                  << dataset << std::endl;

        const nlohmann::ordered_json flags = {
            {"checkpoint", o.checkpoint}, {"weights", o.weights}, {"dataset", dataset}, {"episodes", o.episodes},
            {"held_out", selection.held_out}, {"holdout_every", run.options.holdout_every},
            {"exec_horizon", o.exec_horizon}, {"record_video", o.record_video},
            {"video_output_dir", o.record_video ? videoDir.string() : ""}, {"device", o.device}, {"seed", o.seed},
            {"batch_size", o.batch_size}, {"run_arguments", run.source},
            {"lang_embeddings", run.options.lang_embeddings}};
        EvalReport report(checkpoint.name, o.weights, flags);
        const std::string resultsPath = (outputDir / "results.json").string();
        events.write({{"event", "start"}, {"time", MetricsLog::now()}, {"kind", "eval"},
                      {"checkpoint", checkpoint.name}, {"weights", o.weights},
                      {"episodes", selection.selected.size()}, {"exec_horizon", o.exec_horizon}});

        EpisodePredictor predictor(policy, catalog, device, static_cast<uint64_t>(o.seed), o.batch_size);
        EvalSummary summary;
        std::optional<data::LiberoFile> file; // the current episode's file, kept open across its episodes
        int fileIndex = -1;
        for (size_t n = 0; n < selection.selected.size(); ++n) {
            const data::LiberoEpisode &e = catalog.episodes()[selection.selected[n]];
            if (fileIndex != e.file_index) {
                file.reset();
                auto opened = data::LiberoFile::open(catalog.files()[e.file_index]);
                if (!opened)
                    throw TrainerError(opened.error());
                file.emplace(std::move(opened).value());
                fileIndex = e.file_index;
            }
            const std::string &task = catalog.instruction(e.file_index);
            const EpisodePrediction prediction = predictor.predict(selection.selected[n], static_cast<int>(o.exec_horizon));
            summary.samples += prediction.samples;
            summary.sample_seconds += prediction.seconds;
            const std::vector<LiberoAction> demonstrated = demonstratedActions(*file, e.demo);

            EvaluatedEpisode result;
            result.index = static_cast<int>(n);
            result.episode = e.demo;
            result.file = catalog.files()[e.file_index];
            result.task = task;
            result.metrics = scoreEpisode(prediction.predicted, demonstrated);
            writeActionsFile((outputDir / "actions" / (e.demo + ".json")).string(), e.demo, task, kEvalVideoFps,
                             static_cast<int>(o.exec_horizon), prediction.chunk_starts, prediction.predicted,
                             demonstrated);
            if (o.record_video) {
                char name[32];
                std::snprintf(name, sizeof name, "episode_%03zu_", n);
                const fs::path video = videoDir / (name + slug(task) + ".mp4");
                try {
                    writeEpisodeVideo({&*file, e.demo, e.steps, &prediction.predicted, &demonstrated,
                                       &prediction.chunk_starts},
                                      video.string());
                } catch (const TrainerError &) {
                    // The episode's figures are kept; only its video is missing.
                    report.add(result);
                    report.write(resultsPath);
                    throw;
                }
                const fs::path relative = video.lexically_relative(outputDir);
                result.video = !relative.empty() && relative.begin()->string() != ".." ? relative.string() : video.string();
            }
            report.add(result);
            report.write(resultsPath);
            nlohmann::ordered_json event = {
                {"event", "episode"}, {"time", MetricsLog::now()}, {"index", result.index},
                {"episode", result.episode}, {"task", task}, {"steps", result.metrics.steps},
                {"mse", result.metrics.mse}, {"l2err", result.metrics.l2err},
                {"gripper_agreement", result.metrics.gripper_agreement}};
            if (!result.video.empty())
                event["video"] = result.video;
            events.write(event);
            summary.episodes = static_cast<int>(n + 1);
        }
        events.write({{"event", "done"}, {"time", MetricsLog::now()}, {"episodes", summary.episodes}});
        const nlohmann::ordered_json aggregate = report.toJson()["aggregate"];
        summary.mse = aggregate["mse"].get<double>();
        summary.l2err = aggregate["l2err"].get<double>();
        summary.gripper_agreement = aggregate["gripper_agreement"].get<double>();
        summary.output_dir = outputDir.string();
        return summary;
    } catch (const TrainerError &error) {
        events.write({{"event", "error"}, {"time", MetricsLog::now()}, {"message", error.what()}});
        throw;
    } catch (const c10::Error &error) {
        const std::string message = std::string("LibTorch: ") + error.what_without_backtrace();
        events.write({{"event", "error"}, {"time", MetricsLog::now()}, {"message", message}});
        throw TrainerError(message);
    }
}

} // namespace rdt
