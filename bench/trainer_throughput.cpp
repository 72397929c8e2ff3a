// Training throughput of rdt-trainer's step against the same model and step in PyTorch
// (Python), in one run, same configuration, batch and threads: the C++ loop here, then
// bench/trainer_throughput.py as a child process. Prints both samples/s, both peak RSS and
// the ratios. The step is the loop's body (noise, DDPM noising, denoiser, MSE, backward,
// clip, AdamW, EMA) on a fixed synthetic batch, so the data loader is not measured.
//
// usage: bench_trainer_throughput [--hidden 256 --depth 4 --heads 8 --batch 8 --steps 20
//                                  --rounds 3 --threads 2 --python /usr/bin/python3]
// Each side reports its best round (samples/s over wall time and over its own CPU time).
#include "model/RdtRunner.h"
#include "train/DdpmScheduler.h"
#include "train/EmaModel.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

using namespace rdt;

namespace {

std::map<std::string, std::string> parseArgs(int argc, char **argv)
{
    std::map<std::string, std::string> args = {{"hidden", "256"}, {"depth", "4"}, {"heads", "8"}, {"batch", "8"},
                                               {"steps", "20"}, {"warmup", "3"}, {"threads", "2"}, {"rounds", "3"}, {"lang_len", "32"},
                                               {"lang_dim", "4096"}, {"img_dim", "1152"}, {"patches", "16"},
                                               {"python", "/usr/bin/python3"}};
    for (int i = 1; i + 1 < argc; i += 2)
        args[std::string(argv[i]).substr(2)] = argv[i + 1];
    return args;
}

// Process CPU seconds (user + system): on a shared machine wall time depends on the
// neighbours' load, CPU time much less.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

double peakRssMb(int who)
{
    rusage usage{};
    getrusage(who, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

} // namespace

int main(int argc, char **argv)
{
    auto args = parseArgs(argc, argv);
    const auto n = [&](const char *key) { return std::stoll(args[key]); };
    at::set_num_threads(static_cast<int>(n("threads")));
    torch::manual_seed(0);
    RdtConfig config;
    config.hidden_size = n("hidden");
    config.depth = n("depth");
    config.num_heads = n("heads");
    config.lang_token_dim = n("lang_dim");
    config.img_token_dim = n("img_dim");
    config.img_num_patches = n("patches");
    RdtRunner runner(config);
    EmaModel ema(config, runner);
    DdpmScheduler ddpm(config);
    std::vector<torch::Tensor> params = runner->parameters();
    torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(1e-4).betas({0.9, 0.999}).weight_decay(1e-2).eps(1e-8));
    const int64_t B = n("batch");
    const torch::Tensor lang = torch::randn({B, n("lang_len"), n("lang_dim")});
    const torch::Tensor mask = torch::ones({B, n("lang_len")}, torch::kBool);
    const torch::Tensor img = torch::randn({B, 6 * n("patches"), n("img_dim")});
    const torch::Tensor state = torch::randn({B, 1, 128}), actionMask = torch::ones({B, 1, 128});
    const torch::Tensor actions = torch::randn({B, 64, 128}), freqs = torch::full({B}, 20.0f);

    const auto step = [&] {
        const torch::Tensor noise = torch::randn(actions.sizes());
        const torch::Tensor t = torch::randint(0, 1000, {B}, torch::kInt64);
        const torch::Tensor pred =
            runner->denoise(lang, mask, img, state, ddpm.addNoise(actions, noise, t), actionMask, t, freqs);
        const torch::Tensor loss = torch::mse_loss(pred, actions);
        loss.backward();
        torch::nn::utils::clip_grad_norm_(params, 1.0);
        optimizer.step();
        optimizer.zero_grad();
        ema.step(runner);
        return loss.item<float>();
    };
    for (int64_t i = 0; i < n("warmup"); ++i)
        step();
    // Best of several rounds: on a shared machine the fastest round is the least disturbed.
    double ours = 0.0, oursCpu = 0.0;
    for (int64_t round = 0; round < n("rounds"); ++round) {
        const auto start = std::chrono::steady_clock::now();
        const double cpuStart = cpuSeconds();
        for (int64_t i = 0; i < n("steps"); ++i)
            step();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ours = std::max(ours, static_cast<double>(B * n("steps")) / seconds);
        oursCpu = std::max(oursCpu, static_cast<double>(B * n("steps")) / (cpuSeconds() - cpuStart));
    }
    const double oursRss = peakRssMb(RUSAGE_SELF);

    std::string command = args["python"] + " " + RDT_BENCH_DIR + "/trainer_throughput.py";
    for (const char *key : {"hidden", "depth", "heads", "batch", "steps", "warmup", "threads", "rounds", "lang_len", "lang_dim",
                            "img_dim", "patches"})
        command += std::string(" --") + key + " " + args[key];
    FILE *pipe = popen(command.c_str(), "r");
    std::string output;
    char buffer[4096];
    while (pipe && fgets(buffer, sizeof buffer, pipe))
        output += buffer;
    if (!pipe || pclose(pipe) != 0) {
        std::cerr << "bench_trainer_throughput: " << command << " failed: " << output << std::endl;
        return 1;
    }
    const nlohmann::json python = nlohmann::json::parse(output);
    const double theirs = python["samples_per_s"].get<double>();
    const double theirsRss = python["peak_rss_mb"].get<double>();
    const double theirsCpu = python["samples_per_cpu_s"].get<double>();
    std::cout << "config: hidden " << config.hidden_size << ", depth " << config.depth << ", heads " << config.num_heads
              << ", batch " << B << ", threads " << n("threads") << ", LibTorch " << TORCH_VERSION << "\n"
              << "rdt-trainer step: " << ours << " samples/s (" << oursCpu << " per CPU-second), peak RSS "
              << oursRss << " MB\n"
              << "PyTorch (Python): " << theirs << " samples/s (" << theirsCpu << " per CPU-second), peak RSS "
              << theirsRss << " MB\n"
              << "throughput ratio (ours / PyTorch): " << ours / theirs << " wall, " << oursCpu / theirsCpu
              << " CPU\n"
              << "peak memory ratio (ours / PyTorch): " << oursRss / theirsRss << std::endl;
    return 0;
}
