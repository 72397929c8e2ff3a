// A data-parallel run that goes wrong ends quickly with one line that says what: a killed
// worker ends the launch within seconds naming its rank and leaves nothing running; a taken
// master port, an unreachable master and mismatched world sizes fail the rendezvous with
// their own message instead of hanging.
#include "support_dist_processes.h"
#include "support_libero_fixture.h"
#include "support_tiny_config.h"
#include "support_trainer_paths.h"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace rdt;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Inputs {
    std::string dataset, config;
};

Inputs writeInputs(const std::string &folder)
{
    fixture::LiberoFixture libero;
    libero.demo_steps = {30, 25};
    libero.image_height = 8;
    libero.image_width = 8;
    fixture::writeLiberoFixture(folder + "/libero.hdf5", libero);
    trainertest::writeTinyConfigYaml(folder + "/tiny.yaml", 2, 4);
    return {folder + "/libero.hdf5", folder + "/tiny.yaml"};
}

std::vector<std::string> trainArgs(const Inputs &in, const std::string &outputDir)
{
    return {RDT_TRAINER_BINARY, "train", "--config", in.config, "--dataset", in.dataset, "--output_dir", outputDir,
            "--train_batch_size", "2", "--max_train_steps", "100000", "--checkpointing_period", "100000",
            "--dataloader_num_workers", "1", "--vision_encoder", "patch", "--lang", "learned"};
}

// A socket listening on a free loopback port (taken for as long as it lives).
class ListeningPort {
public:
    ListeningPort()
    {
        m_fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_ANY);
        socklen_t length = sizeof address;
        EXPECT_EQ(bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        EXPECT_EQ(listen(m_fd, 4), 0);
        getsockname(m_fd, reinterpret_cast<sockaddr *>(&address), &length);
        m_port = ntohs(address.sin_port);
    }
    ~ListeningPort() { close(m_fd); }
    int port() const { return m_port; }

private:
    int m_fd = -1;
    int m_port = 0;
};

// A port nothing listens on: bound then released.
int closedPort()
{
    const ListeningPort port;
    return port.port();
}

bool stepLogged(const std::string &metricsFile)
{
    return trainertest::readWholeFile(metricsFile).find("\"loss\"") != std::string::npos;
}

// The lines of text that contain what.
std::vector<std::string> linesWith(const std::string &text, const std::string &what)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (line.find(what) != std::string::npos)
            lines.push_back(line);
    return lines;
}

} // namespace

TEST(DistFailures, AKilledWorkerEndsTheRunNamingItsRank)
{
    const std::string folder = trainertest::scratchFolder("dist_kill");
    const Inputs in = writeInputs(folder);
    std::vector<std::string> args = {RDT_TRAINER_BINARY, "launch", "--nproc_per_node", "2", "--master_port", "0",
                                     "--rdzv_timeout", "60", "--"};
    const auto train = trainArgs(in, folder + "/run");
    args.insert(args.end(), train.begin() + 1, train.end());
    const pid_t launcher = trainertest::spawnWithOutput(args, {{"OMP_NUM_THREADS", "1"}}, folder + "/launch.out");
    ASSERT_GT(launcher, 0);
    const auto deadline = Clock::now() + std::chrono::seconds(180);
    while (!stepLogged(folder + "/run/metrics.jsonl") && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(stepLogged(folder + "/run/metrics.jsonl")) << trainertest::readWholeFile(folder + "/launch.out");
    const std::vector<pid_t> rank1 = trainertest::childrenWithRank(launcher, 1);
    const std::vector<pid_t> rank0 = trainertest::childrenWithRank(launcher, 0);
    ASSERT_EQ(rank1.size(), 1u);
    ASSERT_EQ(rank0.size(), 1u);

    const auto killed = Clock::now();
    ASSERT_EQ(kill(rank1[0], SIGKILL), 0);
    const auto status = trainertest::waitWithDeadline(launcher, 30);
    ASSERT_TRUE(status.has_value()) << "the launch did not end within 30 s of a worker's death";
    const double seconds = std::chrono::duration<double>(Clock::now() - killed).count();
    EXPECT_LT(seconds, 10.0);
    EXPECT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 128 + SIGKILL);
    const std::string output = trainertest::readWholeFile(folder + "/launch.out");
    EXPECT_EQ(linesWith(output, "rank 1 (pid " + std::to_string(rank1[0]) + ") was killed by SIGKILL").size(), 1u)
        << output;
    // Nothing left running: rank 0 is gone too.
    EXPECT_NE(kill(rank0[0], 0), 0);
}

TEST(DistFailures, ATakenMasterPortIsOneLineAndNoHang)
{
    const std::string folder = trainertest::scratchFolder("dist_port");
    const Inputs in = writeInputs(folder);
    const ListeningPort taken;
    std::vector<std::string> args = {RDT_TRAINER_BINARY, "launch", "--nproc_per_node", "2", "--master_port",
                                     std::to_string(taken.port()), "--rdzv_timeout", "300", "--"};
    const auto train = trainArgs(in, folder + "/run");
    args.insert(args.end(), train.begin() + 1, train.end());
    const auto started = Clock::now();
    const pid_t launcher = trainertest::spawnWithOutput(args, {}, folder + "/launch.out");
    // Well inside the 300 s rendezvous timeout (a loaded CI machine takes ~15 s to start a worker).
    const auto status = trainertest::waitWithDeadline(launcher, 120);
    ASSERT_TRUE(status.has_value()) << "hung on a taken port";
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - started).count(), 90.0);
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) != 0);
    const std::string output = trainertest::readWholeFile(folder + "/launch.out");
    EXPECT_EQ(linesWith(output, "rank 0: MASTER_PORT " + std::to_string(taken.port()) + " is already in use").size(), 1u)
        << output;
    EXPECT_EQ(linesWith(output, "rdt-trainer launch: rank 0 ").size(), 1u) << output;
}

TEST(DistFailures, AnUnreachableMasterFailsAfterTheRendezvousTimeout)
{
    const std::string folder = trainertest::scratchFolder("dist_unreachable");
    const Inputs in = writeInputs(folder);
    const int port = closedPort();
    const auto started = Clock::now();
    const pid_t pid = trainertest::spawnWithOutput(
        trainArgs(in, folder + "/run"),
        {{"RANK", "1"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", std::to_string(port)},
         {"RDT_RDZV_TIMEOUT", "2"}},
        folder + "/worker.out");
    const auto status = trainertest::waitWithDeadline(pid, 60);
    ASSERT_TRUE(status.has_value()) << "hung on an unreachable master";
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    EXPECT_GE(seconds, 1.5);
    EXPECT_LT(seconds, 60.0);
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 1);
    const std::string output = trainertest::readWholeFile(folder + "/worker.out");
    const auto lines = linesWith(output, "rank 1: could not reach the master at 127.0.0.1:" + std::to_string(port) +
                                             " within 2 s");
    EXPECT_EQ(lines.size(), 1u) << output;
    EXPECT_EQ(linesWith(output, "rdt-trainer").size(), 1u) << output;
}

TEST(DistFailures, MismatchedWorldSizesAreReportedByBothRanks)
{
    const std::string folder = trainertest::scratchFolder("dist_mismatch");
    const Inputs in = writeInputs(folder);
    const int port = closedPort();
    const std::map<std::string, std::string> common = {{"MASTER_ADDR", "127.0.0.1"},
                                                       {"MASTER_PORT", std::to_string(port)},
                                                       {"RDT_RDZV_TIMEOUT", "300"}};
    auto env0 = common, env1 = common;
    env0.insert({{"RANK", "0"}, {"WORLD_SIZE", "2"}});
    env1.insert({{"RANK", "1"}, {"WORLD_SIZE", "3"}});
    const auto started = Clock::now();
    const pid_t master = trainertest::spawnWithOutput(trainArgs(in, folder + "/run"), env0, folder + "/rank0.out");
    const pid_t worker = trainertest::spawnWithOutput(trainArgs(in, folder + "/run"), env1, folder + "/rank1.out");
    const auto masterStatus = trainertest::waitWithDeadline(master, 120);
    const auto workerStatus = trainertest::waitWithDeadline(worker, 120);
    ASSERT_TRUE(masterStatus.has_value() && workerStatus.has_value()) << "hung on mismatched world sizes";
    // Well inside the 300 s rendezvous timeout.
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - started).count(), 90.0);
    const std::string message = "rank 1 has WORLD_SIZE 3 but rank 0 has 2";
    for (const char *file : {"/rank0.out", "/rank1.out"}) {
        const std::string output = trainertest::readWholeFile(folder + file);
        EXPECT_EQ(linesWith(output, message).size(), 1u) << file << ":\n" << output;
    }
    EXPECT_TRUE(WIFEXITED(*masterStatus) && WEXITSTATUS(*masterStatus) == 1);
    EXPECT_TRUE(WIFEXITED(*workerStatus) && WEXITSTATUS(*workerStatus) == 1);
}
