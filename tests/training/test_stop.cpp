// A running `rdt-trainer train` stopped the way the workbench stops it (SIGINT): it
// finishes the step, writes a checkpoint of it and a "stopped" event, exits 130, and a
// resume continues from that checkpoint. A second signal ends it at once.
#include "support_libero_fixture.h"
#include "support_tiny_config.h"
#include "support_trainer_paths.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

extern char **environ;

using namespace rdt;
namespace fs = std::filesystem;

namespace {

struct Inputs {
    std::string dataset, config;
};

Inputs writeInputs(const std::string &folder)
{
    fixture::LiberoFixture libero;
    libero.demo_steps = {40, 30};
    libero.image_height = 8;
    libero.image_width = 8;
    fixture::writeLiberoFixture(folder + "/libero.hdf5", libero);
    trainertest::writeTinyConfigYaml(folder + "/tiny.yaml", 2, 4);
    return {folder + "/libero.hdf5", folder + "/tiny.yaml"};
}

std::vector<std::string> trainArguments(const Inputs &in, const std::string &outputDir, const std::string &extra = "")
{
    std::vector<std::string> args = {RDT_TRAINER_BINARY, "train", "--config", in.config, "--dataset", in.dataset,
                                     "--output_dir", outputDir, "--max_train_steps", "100000",
                                     "--checkpointing_period", "100000", "--train_batch_size", "2",
                                     "--dataloader_num_workers", "1", "--vision_encoder", "patch", "--lang", "learned"};
    if (!extra.empty())
        args.push_back(extra);
    return args;
}

pid_t spawn(const std::vector<std::string> &args)
{
    std::vector<char *> argv;
    for (const auto &arg : args)
        argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    EXPECT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
    return pid;
}

std::vector<nlohmann::json> readEvents(const std::string &outputDir)
{
    std::vector<nlohmann::json> events;
    std::ifstream in(outputDir + "/metrics.jsonl");
    std::string line;
    while (std::getline(in, line)) {
        const auto event = nlohmann::json::parse(line, nullptr, false);
        if (!event.is_discarded())
            events.push_back(event);
    }
    return events;
}

int64_t lastStep(const std::vector<nlohmann::json> &events)
{
    int64_t step = 0;
    for (const auto &event : events) {
        if (!event.contains("event") && event.contains("step"))
            step = event["step"].get<int64_t>();
    }
    return step;
}

// Waits until the run has logged at least `steps` steps; false after 120 s.
bool waitForSteps(const std::string &outputDir, int64_t steps)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
        if (lastStep(readEvents(outputDir)) >= steps)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

int waitForExit(pid_t pid)
{
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

} // namespace

TEST(Stop, InterruptFinishesTheStepCheckpointsItAndResumesFromThere)
{
    const std::string folder = trainertest::scratchFolder("training_stop");
    const Inputs in = writeInputs(folder);
    const std::string run = folder + "/run";
    const pid_t pid = spawn(trainArguments(in, run));
    ASSERT_TRUE(waitForSteps(run, 3)) << "no steps logged";
    ASSERT_EQ(kill(pid, SIGINT), 0);
    const int status = waitForExit(pid);
    ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 130);

    const auto events = readEvents(run);
    ASSERT_FALSE(events.empty());
    const nlohmann::json &last = events.back();
    ASSERT_EQ(last.value("event", ""), "stopped") << last.dump();
    const int64_t stoppedAt = last["step"].get<int64_t>();
    EXPECT_EQ(last["signal"], "SIGINT");
    EXPECT_EQ(stoppedAt, lastStep(events));
    EXPECT_GE(stoppedAt, 3);
    EXPECT_TRUE(fs::exists(run + "/checkpoint-" + std::to_string(stoppedAt) + "/model.safetensors"));
    const auto &checkpoint = events[events.size() - 2];
    EXPECT_EQ(checkpoint.value("event", ""), "checkpoint");
    EXPECT_EQ(checkpoint["step"].get<int64_t>(), stoppedAt);
    for (const auto &event : events)
        EXPECT_NE(event.value("event", ""), "done");

    // Resumed, it continues from the stopped step.
    const pid_t resumed = spawn(trainArguments(in, run, "--resume_from_checkpoint=latest"));
    ASSERT_TRUE(waitForSteps(run, stoppedAt + 1));
    kill(resumed, SIGTERM);
    const int resumedStatus = waitForExit(resumed);
    ASSERT_TRUE(WIFEXITED(resumedStatus));
    EXPECT_EQ(WEXITSTATUS(resumedStatus), 128 + SIGTERM);
    int64_t resumedFrom = -1;
    for (const auto &event : readEvents(run)) {
        if (event.value("event", "") == "start" && event.value("step", int64_t{0}) > 0)
            resumedFrom = event["step"].get<int64_t>();
    }
    EXPECT_EQ(resumedFrom, stoppedAt);
}

TEST(Stop, ASecondSignalEndsTheTrainerAtOnce)
{
    const std::string folder = trainertest::scratchFolder("training_stop_twice");
    const Inputs in = writeInputs(folder);
    const std::string run = folder + "/run";
    const pid_t pid = spawn(trainArguments(in, run));
    ASSERT_TRUE(waitForSteps(run, 1));
    kill(pid, SIGINT);
    kill(pid, SIGINT);
    const int status = waitForExit(pid);
    // Either the second signal arrived while the step was still running (killed by it) or
    // after the trainer had already stopped cleanly; it never hangs and never continues.
    if (WIFSIGNALED(status))
        EXPECT_EQ(WTERMSIG(status), SIGINT);
    else
        EXPECT_EQ(WEXITSTATUS(status), 130);
}
