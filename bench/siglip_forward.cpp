// The SigLIP vision tower, ours against the same forward in PyTorch (Python), in one run:
// a random SigLIP folder is written by tests/training/python/siglip_reference.py, our
// tower (training/vision/) runs it, then the Python transcription of transformers'
// SiglipVisionModel does, same batch, threads, device and precision. Prints both times and
// the ratio (theirs / ours: > 1 is faster). Then the trainer's step with the frozen tower
// against the step with the small patch encoder (samples/s and peak memory, each measured
// in a child process of its own so the peaks do not mix).
//
// usage: bench_siglip_forward [--layers 2 --image 224 --patch 14 --hidden 1152 --mlp 4304
//                              --heads 16 --batch 6 --repeats 3 --threads 2 --device cpu|cuda
//                              --precision fp32|bf16 --step_batch 2 --steps 3
//                              --python /usr/bin/python3 --folder /tmp/bench_siglip]
// SigLIP so400m-patch14-384 is --layers 27 --image 384 (on a GPU: --device cuda
// --precision bf16 --batch 192, a batch of 32 samples' 6 slots).
#include "cli/OpenMpSpin.h"
#include "model/RdtRunner.h"
#include "train/AutocastGuard.h"
#include "train/Conditioning.h"
#include "train/DdpmScheduler.h"
#include "train/MultiTensorAdamW.h"
#include "vision/SiglipImageEncoder.h"
#include "vision/SiglipLoader.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <sys/resource.h>

#if defined(RDT_WITH_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

using namespace rdt;

namespace {

std::map<std::string, std::string> parseArgs(int argc, char **argv)
{
    std::map<std::string, std::string> args = {
        {"layers", "2"}, {"image", "224"}, {"patch", "14"}, {"hidden", "1152"}, {"mlp", "4304"}, {"heads", "16"},
        {"batch", "6"}, {"repeats", "3"}, {"threads", "2"}, {"device", "cpu"}, {"precision", "fp32"},
        {"step_batch", "2"}, {"steps", "3"}, {"python", "/usr/bin/python3"}, {"folder", "/tmp/bench_siglip"},
        {"mode", "compare"}, {"tower", "1"}};
    for (int i = 1; i + 1 < argc; i += 2)
        args[std::string(argv[i]).substr(2)] = argv[i + 1];
    return args;
}

std::string run(const std::string &command)
{
    FILE *pipe = popen(command.c_str(), "r");
    std::string output;
    char buffer[4096];
    while (pipe && fgets(buffer, sizeof buffer, pipe))
        output += buffer;
    if (!pipe || pclose(pipe) != 0)
        throw std::runtime_error(command + " failed: " + output);
    return output;
}

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double peakDeviceMb(const torch::Device &device)
{
#if defined(RDT_WITH_CUDA)
    if (device.is_cuda())
        return static_cast<double>(c10::cuda::CUDACachingAllocator::getDeviceStats(0).allocated_bytes[0].peak) / 1048576.0;
#endif
    (void)device;
    return 0.0;
}

void synchronize(const torch::Device &device)
{
#if defined(RDT_WITH_CUDA)
    if (device.is_cuda())
        torch::cuda::synchronize();
#endif
    (void)device;
}

// Our tower's best forward time over the repeats, after a warm-up.
double ourForwardSeconds(std::map<std::string, std::string> &args, const torch::Device &device)
{
    LoadedSiglip loaded = loadSiglipFolder(args["folder"]);
    const auto dtype = args["precision"] == "bf16" ? torch::kBFloat16 : torch::kFloat32;
    loaded.tower->to(device, dtype);
    const int64_t side = loaded.tower->config().image_size;
    const torch::Tensor pixels =
        torch::randn({std::stoll(args["batch"]), 3, side, side}, torch::TensorOptions().device(device).dtype(dtype));
    torch::NoGradGuard noGrad;
    loaded.tower->forward(pixels);
    double best = 1e30;
    for (int r = 0; r < std::stoi(args["repeats"]); ++r) {
        synchronize(device);
        const auto t0 = std::chrono::steady_clock::now();
        loaded.tower->forward(pixels);
        synchronize(device);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

// One configuration of the training step (child process): conditioning encode, denoiser,
// loss, backward, AdamW, on a synthetic batch of 128x128 LIBERO-sized images.
int stepMode(std::map<std::string, std::string> &args, const torch::Device &device)
{
    const bool tower = args["tower"] == "1";
    LoadedSiglip loaded = loadSiglipFolder(args["folder"]);
    RdtConfig config;
    config.hidden_size = 256;
    config.depth = 4;
    config.num_heads = 8;
    config.img_token_dim = loaded.tower->config().hidden_size;
    config.img_num_patches = loaded.tower->config().numPatches();
    config.lang_token_dim = 64;
    config.max_lang_cond_len = 32;
    const int64_t B = std::stoll(args["step_batch"]);
    ConditioningSources sources;
    sources.langEmbeddings = {{"task", torch::randn({12, 64})}};
    if (tower)
        sources.vision = std::make_shared<SiglipImageEncoder>(std::move(loaded), device);
    Conditioning conditioning(config, 128, 128, std::move(sources));
    conditioning->to(device);
    RdtRunner runner(config);
    runner->to(device);
    std::vector<torch::Tensor> params = runner->parameters();
    for (const auto &p : conditioning->parameters())
        params.push_back(p);
    MultiTensorAdamW optimizer(params, torch::optim::AdamWOptions(1e-4));
    const DdpmScheduler ddpm(config);
    data::Batch batch;
    batch.images = torch::randint(0, 256, {B, 6, 3, 128, 128}, torch::kUInt8);
    batch.states = torch::randn({B, 1, 128});
    batch.state_elem_mask = torch::ones({B, 1, 128});
    batch.actions = torch::randn({B, 64, 128});
    batch.ctrl_freqs = torch::full({B}, 20.0f);
    batch.instructions.assign(static_cast<size_t>(B), "task");
    const bool bf16 = args["precision"] == "bf16";
    const auto step = [&] {
        const RunnerInputs in = conditioning->encode(batch, device);
        torch::Tensor loss;
        {
            AutocastGuard autocast(device.type(), bf16);
            const torch::Tensor noise = torch::randn_like(in.action_gt);
            const torch::Tensor t = torch::randint(0, 1000, {B}, torch::TensorOptions().dtype(torch::kInt64).device(device));
            const torch::Tensor pred = runner->denoise(in.lang_tokens, in.lang_mask, in.img_tokens, in.state_tokens,
                                                       ddpm.addNoise(in.action_gt, noise, t), in.action_mask, t,
                                                       in.ctrl_freqs);
            loss = torch::mse_loss(pred.to(torch::kFloat32), in.action_gt);
        }
        loss.backward();
        optimizer.step();
        optimizer.zero_grad();
        synchronize(device);
    };
    step();
    const int steps = std::stoi(args["steps"]);
    const auto t0 = std::chrono::steady_clock::now();
    for (int s = 0; s < steps; ++s)
        step();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << nlohmann::json{{"samples_per_s", static_cast<double>(B * steps) / seconds},
                                {"peak_rss_mb", peakRssMb()}, {"peak_device_mb", peakDeviceMb(device)}}.dump()
              << std::endl;
    return 0;
}

std::string selfCommand(std::map<std::string, std::string> args, const std::string &mode, const std::string &tower)
{
    args["mode"] = mode;
    args["tower"] = tower;
    // popen runs a shell, for which /proc/self/exe would be the shell: name ourselves.
    std::string command = std::filesystem::read_symlink("/proc/self/exe").string();
    for (const auto &[key, value] : args)
        command += " --" + key + " " + value;
    return command;
}

} // namespace

int main(int argc, char **argv)
{
    execWithShortOpenMpSpin("/proc/self/exe", argv);
    auto args = parseArgs(argc, argv);
    at::set_num_threads(std::stoi(args["threads"]));
    torch::manual_seed(0);
    const torch::Device device(args["device"]);
    try {
        if (args["mode"] == "step")
            return stepMode(args, device);

        const std::string script = std::string(RDT_BENCH_DIR) + "/../tests/training/python/siglip_reference.py";
        run(args["python"] + " " + script + " make " + args["folder"] + " --hidden " + args["hidden"] + " --layers " +
            args["layers"] + " --heads " + args["heads"] + " --mlp " + args["mlp"] + " --image " + args["image"] +
            " --patch " + args["patch"]);
        const double ours = ourForwardSeconds(args, device);
        const std::string theirsText = run("env -u GOMP_SPINCOUNT " + args["python"] + " " + script + " bench " +
                                           args["folder"] + " " + args["batch"] + " " + args["repeats"] + " " +
                                           args["threads"] + " " + args["device"] + " " + args["precision"]);
        const double theirs = std::stod(theirsText.substr(theirsText.find(' ') + 1));
        std::cout << "SigLIP forward, " << args["layers"] << " layers x " << args["hidden"] << ", " << args["image"]
                  << "px / patch " << args["patch"] << ", batch " << args["batch"] << ", " << args["device"] << " "
                  << args["precision"] << ", " << args["threads"] << " threads\n"
                  << "  ours: " << ours << " s   PyTorch (Python): " << theirs << " s   ratio theirs/ours: "
                  << theirs / ours << "x\n";

        const auto without = nlohmann::json::parse(run(selfCommand(args, "step", "0")));
        const auto with = nlohmann::json::parse(run(selfCommand(args, "step", "1")));
        const double sWithout = without["samples_per_s"], sWith = with["samples_per_s"];
        std::cout << "Trainer step (RDT hidden 256 x 4, batch " << args["step_batch"] << ", 6 image slots of 128x128):\n"
                  << "  patch encoder: " << sWithout << " samples/s, peak RSS " << without["peak_rss_mb"]
                  << " MB, peak device " << without["peak_device_mb"] << " MB\n"
                  << "  frozen SigLIP: " << sWith << " samples/s, peak RSS " << with["peak_rss_mb"]
                  << " MB, peak device " << with["peak_device_mb"] << " MB\n"
                  << "  ratio with/without: " << sWith / sWithout << "x samples/s, "
                  << with["peak_rss_mb"].get<double>() / without["peak_rss_mb"].get<double>() << "x peak RSS\n";
    } catch (const std::exception &error) {
        std::cerr << "bench_siglip_forward: " << error.what() << std::endl;
        return 1;
    }
    return 0;
}
