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

    // The checkpoint records where the sampling sequence stands: 4 steps of 4 samples.
    const nlohmann::json state = nlohmann::json::parse(trainertest::readWholeFile(parallel + "/checkpoint-4/trainer_state.json"));
    EXPECT_EQ(state["data_position"]["next_sample"], 16);
    EXPECT_EQ(state["data_position"]["global_batch"], 4);

    // Rank 1 logged beside rank 0 and wrote no checkpoint of its own.
    EXPECT_TRUE(fs::exists(parallel + "/train.rank1.log"));
    EXPECT_EQ(lossesByStep(readEvents(parallel + "/metrics.rank1.jsonl")).size(), 4u);
}

// A run started as one process of batch 4 and resumed as two processes of batch 2 is the
// one-process run (the same samples and noise); resumed again as one process of batch 3 (a
// global batch that does not divide the samples used) it continues at the next sample.
TEST(DistTraining, AResumeWithAnotherWorldSizeContinuesTheSamplingSequence)
{
    const std::string folder = trainertest::scratchFolder("dist_resize");
    const Inputs in = writeInputs(folder);
    const std::string single = folder + "/single", resized = folder + "/resized";
    runToEnd(trainArgs(in, single, 4, 4), folder + "/single.out");
    runToEnd(trainArgs(in, resized, 4, 2), folder + "/resized1.out");
    std::vector<std::string> two = {"launch", "--nproc_per_node", "2", "--master_port", "0", "--rdzv_timeout", "60", "--"};
    for (const auto &arg : trainArgs(in, resized, 2, 4))
        two.push_back(arg);
    two.insert(two.end(), {"--resume_from_checkpoint", "latest"});
    runToEnd(two, folder + "/resized2.out");

    const auto expected = lossesByStep(readEvents(single + "/metrics.jsonl"));
    const auto events = readEvents(resized + "/metrics.jsonl");
    const auto got = lossesByStep(events);
    ASSERT_EQ(got.size(), 4u) << trainertest::readWholeFile(folder + "/resized2.out");
    for (const auto &[step, loss] : expected)
        EXPECT_NEAR(got.at(step), loss, 1e-5 * std::max(1.0, std::abs(loss))) << "step " << step;
    int worldSizes = 0;
    for (const auto &e : events)
        if (e.value("event", "") == "start")
            worldSizes = worldSizes * 10 + e["world_size"].get<int>();
    EXPECT_EQ(worldSizes, 12) << "started as 1, resumed as 2";

    // Batch 3 on one process: 16 samples used, 16 is no multiple of 3.
    std::vector<std::string> three = trainArgs(in, resized, 3, 6);
    three.insert(three.end(), {"--resume_from_checkpoint", "latest"});
    runToEnd(three, folder + "/resized3.out");
    const nlohmann::json state = nlohmann::json::parse(trainertest::readWholeFile(resized + "/checkpoint-6/trainer_state.json"));
    EXPECT_EQ(state["data_position"]["next_sample"], 16 + 2 * 3);
    EXPECT_EQ(state["data_position"]["global_batch"], 3);
    const std::string log = trainertest::readWholeFile(resized + "/train.log");
    EXPECT_NE(log.find("global batch 4 -> 3"), std::string::npos) << log;
    EXPECT_NE(log.find("continues at sample 16"), std::string::npos) << log;
}
