// rdt-trainer eval's figures, each against a reference measured in the same run:
//  1. video encode speed as a multiple of real time (20 fps): two 128x128 cameras plus the
//     trace panel composed and encoded to H.264 on one core (target >= 10x);
//  2. eval samples/s against the trainer's own `sample` step (the held-out batch, the
//     conditioning, DPM-Solver++, exactly as Trainer.cpp's sampleEvent calls them) on the
//     same checkpoint (target >= 1.0x);
//  3. peak memory of a 20-episode `rdt-trainer eval --record_video` (a child process,
//     polled from /proc) after the first episode against the end (target: flat, <= 5%).
//
// usage: bench_eval_throughput [--frames 600 --hidden 128 --depth 2 --heads 4 --batch 4
//                               --episodes 20 --steps 120 --trainer build/training/rdt-trainer]
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "model/RdtConfig.h"
#include "support_libero_fixture.h"
#include "train/ActionSampler.h"
#include "train/DpmSolver.h"
#include "train/Trainer.h"
#include "eval/EvalCheckpoint.h"
#include "eval/EvalPolicy.h"
#include "eval/RunArguments.h"
#include "video/EpisodeFrameComposer.h"
#include "video/VideoEncoder.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>

using namespace rdt;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::map<std::string, std::string> parseArgs(int argc, char **argv)
{
    std::map<std::string, std::string> args = {{"frames", "600"}, {"hidden", "128"}, {"depth", "2"},
                                                {"heads", "4"},    {"batch", "4"},    {"episodes", "20"},
                                                {"steps", "120"},  {"trainer", RDT_TRAINER_BINARY}};
    for (int i = 1; i + 1 < argc; i += 2)
        args[std::string(argv[i]).substr(2)] = argv[i + 1];
    return args;
}

double seconds(Clock::time_point since)
{
    return std::chrono::duration<double>(Clock::now() - since).count();
}

// This process's CPU time: on a shared machine the wall clock also counts the time other
// processes held the core, so each figure is given over both.
double cpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return now.tv_sec + now.tv_nsec * 1e-9;
}

// 1. Compose and encode `frames` frames of synthetic camera images on one thread.
void benchVideo(int frames, const fs::path &folder)
{
    const int side = 128;
    std::vector<LiberoAction> pred(frames), demo(frames);
    for (int t = 0; t < frames; ++t)
        for (int d = 0; d < kLiberoActionDims; ++d) {
            demo[t][d] = std::sin(0.05f * t + d);
            pred[t][d] = demo[t][d] + 0.1f * std::cos(0.3f * t);
        }
    std::vector<int> starts;
    for (int t = 0; t < frames; t += 16)
        starts.push_back(t);
    std::vector<uint8_t> agent(side * side * 3), wrist(side * side * 3);
    EpisodeFrameComposer composer(side, side, pred, demo, starts);
    const std::string path = (folder / "bench.mp4").string();
    const auto t0 = Clock::now();
    const double cpu0 = cpuSeconds();
    VideoEncoder encoder(path, composer.width(), composer.height(), 20, 1);
    for (int t = 0; t < frames; ++t) {
        // Moving content, so the encoder cannot skip: a gradient that shifts each frame.
        for (int i = 0; i < side * side; ++i) {
            agent[i * 3] = static_cast<uint8_t>(i + t);
            agent[i * 3 + 1] = static_cast<uint8_t>((i / side) * 2);
            agent[i * 3 + 2] = static_cast<uint8_t>(t * 3);
            wrist[i * 3] = static_cast<uint8_t>((i % side) * 2 + t);
            wrist[i * 3 + 1] = static_cast<uint8_t>(i - t);
            wrist[i * 3 + 2] = 90;
        }
        encoder.writeFrame(composer.compose(t, agent.data(), wrist.data()));
    }
    encoder.finish();
    const double elapsed = seconds(t0), cpu = cpuSeconds() - cpu0;
    const double realTime = frames / 20.0;
    std::printf("video encode: %d frames %dx%d (%.1f s of video) in %.2f s wall, %.2f s CPU, one thread: "
                "%.1fx real time over the wall clock, %.1fx over CPU time (target >= 10x), %.0f KB\n",
                frames, composer.width(), composer.height(), realTime, elapsed, cpu, realTime / elapsed,
                realTime / cpu, fs::file_size(path) / 1024.0);
}

long rssKb(pid_t pid, const char *field)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field, 0) == 0)
            return std::stol(line.substr(std::string(field).size()));
    return -1;
}

int countLines(const fs::path &path, const std::string &needle)
{
    std::ifstream in(path);
    int n = 0;
    for (std::string line; std::getline(in, line);)
        n += line.find(needle) != std::string::npos ? 1 : 0;
    return n;
}

} // namespace

int main(int argc, char **argv)
{
    auto args = parseArgs(argc, argv);
    at::set_num_threads(1);
    const fs::path folder = fs::temp_directory_path() / ("rdt-bench-eval-" + std::to_string(getpid()));
    fs::create_directories(folder);

    // 1. Video.
    benchVideo(std::stoi(args["frames"]), folder);
    if (args.count("only") && args["only"] == "video") {
        fs::remove_all(folder);
        return 0;
    }

    // A run: a LIBERO file of `episodes` demos, a small model trained one step.
    const int episodes = std::stoi(args["episodes"]);
    const int steps = std::stoi(args["steps"]);
    fixture::LiberoFixture libero;
    libero.demo_steps.assign(static_cast<size_t>(episodes), steps);
    libero.image_height = libero.image_width = 128;
    const std::string dataset = (folder / "libero.hdf5").string();
    fixture::writeLiberoFixture(dataset, libero);
    RdtConfig config;
    config.hidden_size = std::stoi(args["hidden"]);
    config.depth = std::stoi(args["depth"]);
    config.num_heads = std::stoi(args["heads"]);
    config.lang_token_dim = 32;
    config.img_token_dim = 24;
    config.max_lang_cond_len = 16;
    config.img_num_patches = 4;
    std::ofstream(folder / "config.yaml") << rdtConfigToBaseYaml(config);
    TrainOptions o;
    o.config = (folder / "config.yaml").string();
    o.dataset = dataset;
    o.output_dir = (folder / "run").string();
    o.vision_encoder = "patch";   // the tiny model's stand-ins, opted into
    o.lang = "learned";
    o.train_batch_size = std::stoi(args["batch"]);
    o.max_train_steps = 1;
    o.checkpointing_period = 1;
    o.dataloader_num_workers = 0;
    o.holdout_every = 2;
    runTraining(o);
    const std::string checkpointDir = o.output_dir + "/checkpoint-1";

    // 2a. The trainer's sample step: a held-out batch of train_batch_size, conditioning,
    // DPM-Solver++ (Trainer.cpp sampleEvent's calls), on the checkpoint's EMA weights.
    const EvalCheckpoint checkpoint = locateEvalCheckpoint(checkpointDir, "ema");
    const RunArguments run = readRunArguments(checkpoint.run_folder);
    EvalPolicy policy = loadEvalPolicy(checkpoint, run.options, 128, 128, torch::kCPU);
    data::DatasetOptions holdoutOptions;
    holdoutOptions.batch_size = static_cast<int>(o.train_batch_size);
    holdoutOptions.num_workers = 0;
    holdoutOptions.cond_mask_prob = 0.0;
    holdoutOptions.split = data::Split::Holdout;
    holdoutOptions.holdout_every = 2;
    auto holdout = data::Dataset::open(dataset, holdoutOptions, {1, 0});
    if (!holdout) {
        std::cerr << holdout.error() << "\n";
        return 1;
    }
    at::Generator generator = at::detail::createCPUGenerator(1);
    DpmSolver solver(policy.config);
    // Best of three rounds of 8 batches each side, after one warm-up batch: the machine
    // is shared, and the best round is the least disturbed one.
    double referenceRate = 0.0;
    for (int round = 0; round < 4; ++round) {
        torch::NoGradGuard noGrad;
        int64_t samples = 0;
        const auto t0 = Clock::now();
        for (int b = 0; b < (round == 0 ? 1 : 8); ++b) {
            auto batch = holdout.value()->next();
            const RunnerInputs in = policy.conditioning->encode(batch.value(), torch::kCPU);
            const torch::Tensor noise = at::randn(in.action_gt.sizes(), generator, torch::kFloat32);
            const torch::Tensor sampled = sampleActions(policy.runner, solver, in, noise);
            (void)sampled.sum().item<double>();
            samples += in.action_gt.size(0);
        }
        if (round > 0)
            referenceRate = std::max(referenceRate, samples / seconds(t0));
    }

    // 2b. Eval on the same checkpoint, held-out episodes, in this process.
    EvalOptions e;
    e.checkpoint = checkpointDir;
    e.dataset = dataset;
    e.output_dir = (folder / "eval-speed").string();
    EvalSummary summary;
    double evalRate = 0.0;
    for (int round = 0; round < 3; ++round) {
        summary = runEval(e);
        evalRate = std::max(evalRate, summary.samples / summary.sample_seconds);
    }
    std::printf("eval samples/s: %.2f (%lld chunks, batch %lld) vs the trainer's sample step %.2f (batch %lld): "
                "%.2fx (target >= 1.0x), one thread, hidden %d depth %d\n",
                evalRate, static_cast<long long>(summary.samples), static_cast<long long>(e.batch_size),
                referenceRate, static_cast<long long>(o.train_batch_size), evalRate / referenceRate,
                static_cast<int>(config.hidden_size), static_cast<int>(config.depth));

    // 3. Peak memory over a 20-episode eval with videos, in a child rdt-trainer.
    const fs::path memoryOut = folder / "eval-memory";
    std::string episodesList;
    for (int i = 0; i < episodes; ++i)
        episodesList += (i ? "," : "") + std::string("demo_") + std::to_string(i);
    const pid_t child = fork();
    if (child == 0) {
        const std::string trainer = args["trainer"];
        execl(trainer.c_str(), trainer.c_str(), "eval", "--checkpoint", checkpointDir.c_str(), "--dataset",
              dataset.c_str(), "--episodes", episodesList.c_str(), "--record_video", "--output_dir",
              memoryOut.c_str(), static_cast<char *>(nullptr));
        _exit(127);
    }
    long peakAfterFirst = -1, peak = 0;
    int status = 0;
    std::vector<long> peakByEpisode(static_cast<size_t>(episodes) + 1, 0);
    while (waitpid(child, &status, WNOHANG) == 0) {
        const long rss = rssKb(child, "VmRSS:");
        const int done = countLines(memoryOut / "events.jsonl", "\"event\":\"episode\"");
        if (rss > 0 && done <= episodes)
            peakByEpisode[static_cast<size_t>(done)] = std::max(peakByEpisode[static_cast<size_t>(done)], rss);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::cerr << "the 20-episode eval failed (status " << status << ")\n";
        return 1;
    }
    peakAfterFirst = std::max(peakByEpisode[0], peakByEpisode[1]);
    for (long value : peakByEpisode)
        peak = std::max(peak, value);
    long laterPeak = 0;
    for (size_t i = 2; i < peakByEpisode.size(); ++i)
        laterPeak = std::max(laterPeak, peakByEpisode[i]);
    std::printf("peak RSS over a %d-episode eval with videos: %.1f MB through episode 1, %.1f MB over episodes "
                "2..%d: %.3fx (target: flat, <= 1.05x); per episode (MB):",
                episodes, peakAfterFirst / 1024.0, laterPeak / 1024.0, episodes,
                static_cast<double>(laterPeak) / peakAfterFirst);
    for (size_t i = 0; i < peakByEpisode.size(); ++i)
        std::printf(" %.0f", peakByEpisode[i] / 1024.0);
    std::printf("\n");
    fs::remove_all(folder);
    return 0;
}
