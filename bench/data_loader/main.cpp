// bench/data_loader: how many samples per second rdt::data::Dataset delivers (images
// 128x128 as LIBERO's, batch and worker counts as given), to compare with what a training
// step consumes; the loader should stay at least 5x ahead. With no --dataset it writes a
// LIBERO-sized synthetic file (10 demos x 150 steps, 2 cameras) first. --step_ms makes the
// consumer sleep per batch as a training step would, to show the workers hide the loading
// (the consumer's wait falls to ~0%).
#include "data/Dataset.h"
#include "support_libero_fixture.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kSyntheticDemos = 10;
constexpr int kSyntheticSteps = 150;  // a typical LIBERO demo's length
constexpr int kLiberoImageSize = 128;

struct Arguments {
    std::string dataset;
    int batch_size = 32;
    std::vector<int> workers = {0, 1, 2, 4};
    double seconds = 4.0;
    int step_ms = 0;  // > 0: the consumer sleeps this long per batch, like a GPU training step
};

std::vector<int> parseList(const std::string& text)
{
    std::vector<int> values;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        values.push_back(std::stoi(item));
    return values;
}

bool parse(int argc, char** argv, Arguments& arguments)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--dataset")
            arguments.dataset = value;
        else if (flag == "--batch_size")
            arguments.batch_size = std::stoi(value);
        else if (flag == "--workers")
            arguments.workers = parseList(value);
        else if (flag == "--seconds")
            arguments.seconds = std::stod(value);
        else if (flag == "--step_ms")
            arguments.step_ms = std::stoi(value);
        else
            return false;
    }
    return argc % 2 == 1;
}

}  // namespace

int main(int argc, char** argv)
{
    Arguments arguments;
    if (!parse(argc, argv, arguments)) {
        std::cerr << "usage: data_loader_bench [--dataset PATH] [--batch_size 32] "
                     "[--workers 0,1,2,4] [--seconds 4] [--step_ms 0]\n";
        return 2;
    }
    if (arguments.dataset.empty()) {
        arguments.dataset = (std::filesystem::temp_directory_path() / "rdt_bench_libero.hdf5").string();
        rdt::fixture::LiberoFixture fixture;
        fixture.demo_steps.assign(kSyntheticDemos, kSyntheticSteps);
        fixture.image_height = kLiberoImageSize;
        fixture.image_width = kLiberoImageSize;
        rdt::fixture::writeLiberoFixture(arguments.dataset, fixture);
        std::cout << "wrote " << arguments.dataset << " ("
                  << std::filesystem::file_size(arguments.dataset) / (1 << 20) << " MiB)\n";
    }

    for (int workers : arguments.workers) {
        rdt::data::DatasetOptions options;
        options.batch_size = arguments.batch_size;
        options.num_workers = workers;
        auto dataset = rdt::data::Dataset::open(arguments.dataset, options, {1, 0});
        if (!dataset) {
            std::cerr << dataset.error() << '\n';
            return 1;
        }
        const auto started = std::chrono::steady_clock::now();
        int64_t samples = 0;
        double elapsed = 0;
        while (elapsed < arguments.seconds) {
            auto batch = dataset.value()->next();
            if (!batch) {
                std::cerr << batch.error() << '\n';
                return 1;
            }
            samples += arguments.batch_size;
            if (arguments.step_ms > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(arguments.step_ms));
            elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        }
        const double waited = dataset.value()->takeWaitSeconds();
        std::cout << "workers " << workers << "  batch " << arguments.batch_size << "  "
                  << static_cast<int64_t>(samples / elapsed) << " samples/s  (consumer waited "
                  << static_cast<int>(100 * waited / elapsed) << "% of " << elapsed << " s)\n";
    }
    return 0;
}
