// Data-parallel training end to end on CPU with Gloo: `rdt-trainer launch --nproc_per_node 2`
// with batch 2 per rank follows the same loss curve and reaches the same weights as one
// process with batch 4 (the same samples and noise), including across a resume of the
// two-process run from its checkpoint.
#include "support_dist_processes.h"
#include "support_libero_fixture.h"
#include "support_tiny_config.h"
#include "support_trainer_paths.h"
#include "weights/SafetensorsFile.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

using namespace rdt;
namespace fs = std::filesystem;

namespace {

struct Inputs {
    std::string dataset, config;
};

Inputs writeInputs(const std::string &folder)
{
    fixture::LiberoFixture libero;
    libero.demo_steps = {30, 45, 20};
    libero.image_height = 8;
    libero.image_width = 8;
    fixture::writeLiberoFixture(folder + "/libero.hdf5", libero);
    trainertest::writeTinyConfigYaml(folder + "/tiny.yaml", 2, 4);
    return {folder + "/libero.hdf5", folder + "/tiny.yaml"};
}

std::vector<std::string> trainArgs(const Inputs &in, const std::string &outputDir, int batch, int steps)
{
    return {"train", "--config", in.config, "--dataset", in.dataset, "--output_dir", outputDir,
            "--train_batch_size", std::to_string(batch), "--max_train_steps", std::to_string(steps),
            "--checkpointing_period", "2", "--learning_rate", "1e-3", "--lr_warmup_steps", "2",
            "--dataloader_num_workers", "1", "--seed", "42", "--vision_encoder", "patch", "--lang", "learned"};
}

// Runs the command to its end (at most 300 s); fails the test with its output otherwise.
void runToEnd(std::vector<std::string> args, const std::string &logFile)
{
    args.insert(args.begin(), RDT_TRAINER_BINARY);
    const pid_t pid = trainertest::spawnWithOutput(args, {{"OMP_NUM_THREADS", "1"}}, logFile);
    ASSERT_GT(pid, 0);
    const auto status = trainertest::waitWithDeadline(pid, 300);
    ASSERT_TRUE(status.has_value()) << "still running after 300 s:\n" << trainertest::readWholeFile(logFile);
    ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << trainertest::readWholeFile(logFile);
}

std::vector<nlohmann::json> readEvents(const std::string &path)
{
    std::vector<nlohmann::json> events;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
        events.push_back(nlohmann::json::parse(line));
    return events;
}

std::map<int64_t, double> lossesByStep(const std::vector<nlohmann::json> &events)
{
    std::map<int64_t, double> losses;
    for (const auto &e : events) {
        if (e.contains("loss"))
            losses[e["step"].get<int64_t>()] = e["loss"].get<double>();
    }
    return losses;
}

} // namespace

TEST(DistTraining, TwoProcessesOfBatchTwoMatchOneProcessOfBatchFourAcrossAResume)
{
    const std::string folder = trainertest::scratchFolder("dist_training");
    const Inputs in = writeInputs(folder);
    const std::string single = folder + "/single", parallel = folder + "/parallel";
    runToEnd(trainArgs(in, single, 4, 4), folder + "/single.out");

    const std::vector<std::string> launch = {"launch", "--nproc_per_node", "2", "--master_port", "0",
                                             "--rdzv_timeout", "60", "--"};
    std::vector<std::string> first = launch, resumed = launch;
    for (const auto &arg : trainArgs(in, parallel, 2, 2))
        first.push_back(arg);
    runToEnd(first, folder + "/parallel1.out");
    ASSERT_TRUE(fs::exists(parallel + "/checkpoint-2"));
    for (const auto &arg : trainArgs(in, parallel, 2, 4))
        resumed.push_back(arg);
    resumed.insert(resumed.end(), {"--resume_from_checkpoint", "latest"});
    runToEnd(resumed, folder + "/parallel2.out");

    // The loss curve: the global loss of 2 x 2 equals the loss of 1 x 4.
    const auto events = readEvents(parallel + "/metrics.jsonl");
    const auto expected = lossesByStep(readEvents(single + "/metrics.jsonl"));
    const auto got = lossesByStep(events);
    ASSERT_EQ(expected.size(), 4u);
    ASSERT_EQ(got.size(), 4u) << trainertest::readWholeFile(folder + "/parallel2.out");
    for (const auto &[step, loss] : expected)
        EXPECT_NEAR(got.at(step), loss, 1e-5 * std::max(1.0, std::abs(loss))) << "step " << step;
    EXPECT_EQ(events.front()["world_size"], 2);
    EXPECT_NE(events.back().dump().find("\"done\""), std::string::npos) << events.back().dump();

    // The weights after 4 steps.
    const auto a = readSafetensors(single + "/checkpoint-4/model.safetensors").tensors;
    const auto b = readSafetensors(parallel + "/checkpoint-4/model.safetensors").tensors;
    ASSERT_EQ(a.size(), b.size());
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].first, b[i].first);
        worst = std::max(worst, (a[i].second.to(torch::kFloat64) - b[i].second.to(torch::kFloat64)).abs().max().item<double>());
    }
    EXPECT_LT(worst, 1e-5) << "largest weight difference";
    // And they did train (a comparison of two untouched models would prove nothing).
    const auto start = readSafetensors(parallel + "/checkpoint-2/model.safetensors").tensors;
    double moved = 0;
    for (size_t i = 0; i < b.size(); ++i)
        moved = std::max(moved, (b[i].second - start[i].second).abs().max().item<double>());
    EXPECT_GT(moved, 1e-4);

    // Rank 1 logged beside rank 0 and wrote no checkpoint of its own.
    EXPECT_TRUE(fs::exists(parallel + "/train.rank1.log"));
    EXPECT_EQ(lossesByStep(readEvents(parallel + "/metrics.rank1.jsonl")).size(), 4u);
}
