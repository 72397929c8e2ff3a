// rdt-trainer: the on-host trainer (contract 1). Dispatches the subcommand and is the one
// place where failures become a single stderr line and a non-zero exit.
#include "cli/Commands.h"
#include "cli/OpenMpSpin.h"
#include "data/StatsCommand.h"
#include "model/TrainerError.h"

#include <c10/util/Exception.h>

#include <cstring>
#include <exception>
#include <iostream>
#include <string>

namespace {

constexpr const char *kUsage =
    "usage: rdt-trainer <command> [flags]\n"
    "  train   --config CFG.yaml --dataset PATH --output_dir DIR [...]\n"
    "  stats   --dataset PATH [--out dataset_stat.json]\n"
    "  eval    --checkpoint DIR [--dataset PATH] [--episodes LIST] [--exec_horizon 16] [--weights ema|raw]\n"
    "          [--record_video] [--video_output_dir DIR] [--output_dir DIR] [--device cpu|cuda] [--seed N]\n"
    "  forward --config CFG --weights FILE --inputs IN.safetensors --out OUT.safetensors\n"
    "  info    [--json]\n"
    "  siglip  --model SIGLIP_DIR --images IN.safetensors --out OUT.safetensors [--device cpu|cuda]\n"
    "  encoders [--config CFG] [--dataset PATH] [--vision_encoder DIR] [--lang_embeddings PATH] [--json]\n"
    "  launch  --nproc_per_node N [--nnodes M --node_rank R --master_addr A --master_port P\n"
    "          --rdzv_timeout S --stop_timeout S] -- train ...   (data parallel, as torchrun)\n";

// LibTorch messages run over several lines (with a C++ backtrace); the first line says it.
std::string firstLine(const std::string &text)
{
    const size_t end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::cerr << kUsage;
        return argc < 2 ? 2 : 0;
    }
    const std::string command = argv[1];
    // The commands that compute with LibTorch; `info` stays a single quick process.
    if (command == "train" || command == "forward" || command == "eval" || command == "siglip")
        rdt::execWithShortOpenMpSpin("/proc/self/exe", argv);
    try {
        if (command == "train")
            return rdt::runTrainCommand(argc - 1, argv + 1);
        if (command == "forward")
            return rdt::runForwardCommand(argc - 1, argv + 1);
        if (command == "eval")
            return rdt::runEvalCommand(argc - 1, argv + 1);
        if (command == "siglip")
            return rdt::runSiglipCommand(argc - 1, argv + 1);
        if (command == "info")
            return rdt::runInfoCommand(argc - 1, argv + 1);
        if (command == "launch")
            return rdt::runLaunchCommand(argc - 1, argv + 1);
        if (command == "encoders")
            return rdt::runEncodersCommand(argc - 1, argv + 1);
        if (command == "stats")
            return rdt::data::runStatsCommand(argc - 1, argv + 1);
        std::cerr << "rdt-trainer: unknown command '" << command << "'\n" << kUsage;
        return 2;
    } catch (const rdt::TrainerError &error) {
        std::cerr << "rdt-trainer " << command << ": " << error.what() << std::endl;
    } catch (const c10::Error &error) {
        std::cerr << "rdt-trainer " << command << ": LibTorch: " << firstLine(error.what_without_backtrace()) << std::endl;
    } catch (const std::bad_alloc &) {
        std::cerr << "rdt-trainer " << command << ": out of memory: try a smaller --train_batch_size, "
                  << "--gradient_checkpointing or --mixed_precision bf16" << std::endl;
    } catch (const std::exception &error) {
        std::cerr << "rdt-trainer " << command << ": " << error.what() << std::endl;
    }
    return 1;
}
