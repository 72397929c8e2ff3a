// `rdt-trainer info [--json]`: version, LibTorch version, devices and threads, so the
// workbench's host check can tell what the server's trainer can do.
#include "cli/CommandLine.h"
#include "cli/Commands.h"
#include "video/VideoEncoder.h"
#include "dist/C10dCompat.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <torch/version.h>

#ifdef RDT_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

#include <iostream>
#include <thread>

namespace rdt {

int runInfoCommand(int argc, char **argv)
{
    const CommandLine args(argc, argv, {}, {"json"});
    nlohmann::json devices = nlohmann::json::array();
    const int64_t cudaCount = torch::cuda::is_available() ? static_cast<int64_t>(torch::cuda::device_count()) : 0;
    for (int64_t i = 0; i < cudaCount; ++i) {
        nlohmann::json device = {{"index", i}, {"type", "cuda"}};
#ifdef RDT_WITH_CUDA
        const cudaDeviceProp *props = at::cuda::getDeviceProperties(static_cast<int>(i));
        device["name"] = props->name;
        device["memory_bytes"] = static_cast<uint64_t>(props->totalGlobalMem);
#endif
        devices.push_back(device);
    }
    const nlohmann::json info = {
        {"version", RDT_TRAINER_VERSION},
        {"libtorch", TORCH_VERSION},
        {"cuda_available", cudaCount > 0},
        {"cuda_device_count", cudaCount},
        {"devices", devices},
        {"threads", at::get_num_threads()},
        {"hardware_threads", std::thread::hardware_concurrency()},
        {"mixed_precision", {"no", "bf16"}},
        {"gradient_checkpointing", true},
        // `eval` needs nothing but the trainer; its videos need FFmpeg with libx264.
        {"eval", true},
        {"video", VideoEncoder::available()},
        {"video_unavailable_reason", VideoEncoder::unavailableReason()},
        {"distributed", {{"gloo", dist::glooAvailable()}, {"nccl", dist::ncclAvailable()}}},
    };
    if (args.has("json")) {
        std::cout << info.dump() << std::endl;
        return 0;
    }
    std::cout << "rdt-trainer " << RDT_TRAINER_VERSION << "\n"
              << "LibTorch " << TORCH_VERSION << "\n"
              << "CUDA devices: " << cudaCount << "\n";
    for (const auto &device : devices)
        std::cout << "  " << device.dump() << "\n";
    std::cout << "threads: " << at::get_num_threads() << "\n"
              << "eval: available\n"
              << "video: " << (VideoEncoder::available() ? "available" : VideoEncoder::unavailableReason()) << std::endl;
    return 0;
}

} // namespace rdt
