// Data-parallel scaling on this machine's CPU with c10d Gloo: the samples/s of
// `rdt-trainer launch --nproc_per_node 2` (1 thread per process) against one
// `rdt-trainer train` process with 1 thread, same per-process batch, same model, in one run.
// Target: a ratio of at least 1.6. The figure is the global samples/s of metrics.jsonl
// (rank 0 logs batch x world size / step time), median over the steps after a warm-up.
//
// usage: bench_dist_scaling [--trainer build/training/rdt-trainer] [--hidden 256 --depth 4
//                            --batch 8 --steps 30 --warmup 5 --nproc 2]
// It writes a small LIBERO-layout file and the config into a scratch folder first.
#include "model/RdtConfig.h"
#include "support_libero_fixture.h"

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> parseArguments(int argc, char **argv)
{
    std::map<std::string, std::string> values = {{"trainer", RDT_TRAINER_BINARY}, {"hidden", "256"}, {"depth", "4"},
                                                 {"batch", "8"}, {"steps", "30"}, {"warmup", "5"}, {"nproc", "2"}};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = std::string(argv[i]).substr(2);
        if (!values.count(name)) {
            std::cerr << "bench_dist_scaling: unknown flag " << argv[i] << "\n";
            std::exit(2);
        }
        values[name] = argv[i + 1];
    }
    return values;
}

// Runs the command line with OMP_NUM_THREADS=1; exits the bench when it fails.
void run(const std::string &commandLine)
{
    const std::string full = "OMP_NUM_THREADS=1 " + commandLine + " > /dev/null";
    if (std::system(full.c_str()) != 0) {
        std::cerr << "bench_dist_scaling: failed: " << full << "\n";
        std::exit(1);
    }
}

double medianSamplesPerSecond(const std::string &metricsFile, int warmup)
{
    std::vector<double> rates;
    std::ifstream in(metricsFile);
    std::string line;
    while (std::getline(in, line)) {
        const auto event = nlohmann::json::parse(line);
        if (event.contains("samples_per_s") && event["step"].get<int>() > warmup)
            rates.push_back(event["samples_per_s"].get<double>());
    }
    if (rates.empty()) {
        std::cerr << "bench_dist_scaling: no steps in " << metricsFile << "\n";
        std::exit(1);
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    const auto args = parseArguments(argc, argv);
    const fs::path folder = fs::temp_directory_path() / ("rdt_bench_dist_" + std::to_string(getpid()));
    fs::create_directories(folder);
    rdt::fixture::LiberoFixture libero;
    libero.demo_steps = {120, 150, 90, 140};
    libero.image_height = 16;
    libero.image_width = 16;
    rdt::fixture::writeLiberoFixture((folder / "libero.hdf5").string(), libero);
    rdt::RdtConfig config;
    config.hidden_size = std::stoi(args.at("hidden"));
    config.depth = std::stoi(args.at("depth"));
    config.num_heads = 8;
    config.lang_token_dim = 64;
    config.img_token_dim = 48;
    config.max_lang_cond_len = 16;
    config.img_num_patches = 16;
    std::ofstream(folder / "model.yaml") << rdt::rdtConfigToBaseYaml(config);

    const std::string common = " --config " + (folder / "model.yaml").string() + " --dataset " +
                               (folder / "libero.hdf5").string() + " --train_batch_size " + args.at("batch") +
                               " --max_train_steps " + args.at("steps") + " --checkpointing_period 1000000" +
                               " --dataloader_num_workers 1 --vision_encoder patch --lang learned";
    const std::string trainer = args.at("trainer");
    const int nproc = std::stoi(args.at("nproc"));
    const int warmup = std::stoi(args.at("warmup"));
    run(trainer + " train" + common + " --output_dir " + (folder / "single").string());
    run(trainer + " launch --nproc_per_node " + std::to_string(nproc) + " --master_port 0 -- train" + common +
        " --output_dir " + (folder / "parallel").string());
    const double single = medianSamplesPerSecond((folder / "single" / "metrics.jsonl").string(), warmup);
    const double parallel = medianSamplesPerSecond((folder / "parallel" / "metrics.jsonl").string(), warmup);
    std::cout << "model hidden " << args.at("hidden") << " depth " << args.at("depth") << ", batch " << args.at("batch")
              << " per process, 1 thread per process, Gloo on CPU\n"
              << "reference: 1 process x 1 thread       " << single << " samples/s\n"
              << "data parallel: " << nproc << " processes x 1 thread " << parallel << " samples/s\n"
              << "ratio " << parallel / single << " (target >= 1.6)" << std::endl;
    fs::remove_all(folder);
    return 0;
}
