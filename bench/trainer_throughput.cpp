// Training throughput of rdt-trainer's step against the same model and step in PyTorch
// (Python), in one run, same configuration, batch and threads: the C++ loop here, then
// bench/trainer_throughput.py as a child process. Prints both samples/s, both peak RSS and
// the ratios. The step is the loop's body (noise, DDPM noising, denoiser, MSE, backward,
// clip, AdamW, EMA) on a fixed synthetic batch, so the data loader is not measured.
//
// usage: bench_trainer_throughput [--hidden 256 --depth 4 --heads 8 --batch 8 --steps 20
//                                  --rounds 3 --threads 2 --python /usr/bin/python3
//                                  --device cpu|cuda --precision fp32|bf16 --multi_tensor 1|0
//                                  --profile N (the Python side's kernel table over N steps)]
// Each side reports its best round (samples/s over wall time and over its own CPU time).
// Our side runs as rdt-trainer does, with its short OpenMP spin (training/cli/OpenMpSpin.h);
// PyTorch runs as users run it, with the default, and once more with our setting, so the
// figures show what the setting is worth and what the rest of the trainer is.
// On a GPU server: --device cuda --precision bf16 with rdt-170m's sizes (--hidden 1024
// --depth 14 --heads 32 --patches 729 --batch 32); memory is then each side's CUDA
// allocator peak. --multi_tensor 0 uses LibTorch's per-parameter AdamW and clipping.
#include "cli/OpenMpSpin.h"
#include "model/RdtRunner.h"
#include "train/AutocastGuard.h"
#include "train/DdpmScheduler.h"
#include "train/EmaModel.h"
#include "train/GradientClipping.h"
#include "train/MultiTensorAdamW.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <sys/resource.h>

#if defined(RDT_WITH_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>

using namespace rdt;

namespace {

std::map<std::string, std::string> parseArgs(int argc, char **argv)
{
    std::map<std::string, std::string> args = {{"hidden", "256"}, {"depth", "4"}, {"heads", "8"}, {"batch", "8"},
                                               {"steps", "20"}, {"warmup", "3"}, {"threads", "2"}, {"rounds", "3"}, {"lang_len", "32"},
                                               {"lang_dim", "4096"}, {"img_dim", "1152"}, {"patches", "16"},
                                               {"python", "/usr/bin/python3"}, {"device", "cpu"},
                                               {"precision", "fp32"}, {"multi_tensor", "1"}, {"profile", "0"}};
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

// The CUDA allocator's peak of allocated bytes, as torch.cuda.max_memory_allocated.
double peakDeviceMb(const torch::Device &device)
{
#if defined(RDT_WITH_CUDA)
    if (device.is_cuda())
        return static_cast<double>(
                   c10::cuda::CUDACachingAllocator::getDeviceStats(device.index() < 0 ? 0 : device.index())
                       .allocated_bytes[0] // the aggregate of all pools
                       .peak) /
               (1024.0 * 1024.0);
#endif
    (void)device;
    return 0.0;
}

struct PythonFigures {
    double samplesPerSecond = 0.0, samplesPerCpuSecond = 0.0, peakRssMb = 0.0, peakDeviceMb = 0.0;
    std::string deviceName, torchVersion;
};

// Runs bench/trainer_throughput.py with the same configuration; `openMpSpin` empty runs it
// with libgomp's default spin, as a user's `python3 train.py` would.
std::optional<PythonFigures> runPython(std::map<std::string, std::string> &args, const std::string &openMpSpin)
{
    std::string command = openMpSpin.empty() ? "env -u GOMP_SPINCOUNT " : "env GOMP_SPINCOUNT=" + openMpSpin + " ";
    command += args["python"] + " " + RDT_BENCH_DIR + "/trainer_throughput.py";
    for (const char *key : {"hidden", "depth", "heads", "batch", "steps", "warmup", "threads", "rounds", "lang_len", "lang_dim",
                            "img_dim", "patches", "device", "precision", "profile"})
        command += std::string(" --") + key + " " + args[key];
    FILE *pipe = popen(command.c_str(), "r");
    std::string output;
    char buffer[4096];
    while (pipe && fgets(buffer, sizeof buffer, pipe))
        output += buffer;
    if (!pipe || pclose(pipe) != 0) {
        std::cerr << "bench_trainer_throughput: " << command << " failed: " << output << std::endl;
        return std::nullopt;
    }
    const nlohmann::json python = nlohmann::json::parse(output);
    PythonFigures figures;
    figures.samplesPerSecond = python["samples_per_s"].get<double>();
    figures.samplesPerCpuSecond = python["samples_per_cpu_s"].get<double>();
    figures.peakRssMb = python["peak_rss_mb"].get<double>();
    figures.peakDeviceMb = python.value("peak_device_mb", 0.0);
    figures.deviceName = python.value("device_name", std::string());
    figures.torchVersion = python.value("torch", std::string());
    return figures;
}

} // namespace

int main(int argc, char **argv)
{
    execWithShortOpenMpSpin("/proc/self/exe", argv);
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
    const torch::Device device(args["device"]);
    const bool bf16 = args["precision"] == "bf16";
    const bool multiTensor = args["multi_tensor"] != "0";
    const int64_t B = n("batch");
    // Our side in a scope of its own: its model, optimizer and batch are freed, and the CUDA
    // cache emptied, before PyTorch starts, so both sides have the whole GPU.
    const auto [ours, oursCpu] = [&] {
        RdtRunner runner(config);
        runner->to(device);
        EmaModel ema(config, runner);
        DdpmScheduler ddpm(config);
        std::vector<torch::Tensor> params = runner->parameters();
        const auto adamw = torch::optim::AdamWOptions(1e-4).betas({0.9, 0.999}).weight_decay(1e-2).eps(1e-8);
        std::unique_ptr<torch::optim::AdamW> optimizer = multiTensor
            ? std::make_unique<MultiTensorAdamW>(params, adamw)
            : std::make_unique<torch::optim::AdamW>(params, adamw);
        const auto on = torch::TensorOptions().device(device);
        const torch::Tensor lang = torch::randn({B, n("lang_len"), n("lang_dim")}, on);
        const torch::Tensor mask = torch::ones({B, n("lang_len")}, on.dtype(torch::kBool));
        const torch::Tensor img = torch::randn({B, 6 * n("patches"), n("img_dim")}, on);
        const torch::Tensor state = torch::randn({B, 1, 128}, on), actionMask = torch::ones({B, 1, 128}, on);
        const torch::Tensor actions = torch::randn({B, 64, 128}, on), freqs = torch::full({B}, 20.0f, on);

        const auto step = [&] {
            const torch::Tensor noise = torch::randn(actions.sizes(), on);
            const torch::Tensor t = torch::randint(0, 1000, {B}, on.dtype(torch::kInt64));
            torch::Tensor loss;
            {
                AutocastGuard autocast(device.type(), bf16);
                const torch::Tensor pred =
                    runner->denoise(lang, mask, img, state, ddpm.addNoise(actions, noise, t), actionMask, t, freqs);
                loss = torch::mse_loss(pred.to(torch::kFloat32), actions);
            }
            loss.backward();
            if (multiTensor)
                clipGradientNorm(params, 1.0);
            else
                torch::nn::utils::clip_grad_norm_(params, 1.0);
            optimizer->step();
            optimizer->zero_grad();
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
        return std::pair{ours, oursCpu};
    }();
    const double oursRss = peakRssMb(RUSAGE_SELF);
    const double oursDevice = peakDeviceMb(device);
#if defined(RDT_WITH_CUDA)
    if (device.is_cuda())
        c10::cuda::CUDACachingAllocator::emptyCache();
#endif

    const std::optional<PythonFigures> python = runPython(args, "");
    const char *ourSpin = std::getenv("GOMP_SPINCOUNT");
    const std::optional<PythonFigures> pythonOurSpin = ourSpin ? runPython(args, ourSpin) : std::nullopt;
    if (!python || (ourSpin && !pythonOurSpin))
        return 1;
    const double theirs = python->samplesPerSecond, theirsCpu = python->samplesPerCpuSecond;
    const double theirsRss = python->peakRssMb, theirsDevice = python->peakDeviceMb;
    std::cout << "config: hidden " << config.hidden_size << ", depth " << config.depth << ", heads " << config.num_heads
              << ", batch " << B << ", threads " << n("threads") << ", LibTorch " << TORCH_VERSION << ", "
              << device.str() << ", " << (bf16 ? "bf16" : "fp32") << ", "
              << (multiTensor ? "multi-tensor" : "per-parameter") << " optimizer step\n"
              << "rdt-trainer step: " << ours << " samples/s (" << oursCpu << " per CPU-second), peak RSS "
              << oursRss << " MB\n"
              << "PyTorch (Python): " << theirs << " samples/s (" << theirsCpu << " per CPU-second), peak RSS "
              << theirsRss << " MB\n"
              << "throughput ratio (ours / PyTorch): " << ours / theirs << " wall, " << oursCpu / theirsCpu
              << " CPU\n"
              << "peak memory ratio (ours / PyTorch): " << oursRss / theirsRss << std::endl;
    if (pythonOurSpin)
        std::cout << "PyTorch (Python) with GOMP_SPINCOUNT=" << ourSpin << " as ours: " << pythonOurSpin->samplesPerSecond
                  << " samples/s (" << pythonOurSpin->samplesPerCpuSecond << " per CPU-second); ratio ours / it: "
                  << ours / pythonOurSpin->samplesPerSecond << " wall, "
                  << oursCpu / pythonOurSpin->samplesPerCpuSecond << " CPU" << std::endl;
    else
        std::cout << "OpenMP spin: set by the user's environment, used by both sides" << std::endl;
    if (device.is_cuda())
        std::cout << "device memory peak: ours " << oursDevice << " MB, PyTorch " << theirsDevice << " MB, ratio "
                  << oursDevice / theirsDevice << " (" << python->deviceName << ", torch " << python->torchVersion << ")"
                  << std::endl;
    return 0;
}
