// `rdt-trainer eval` on bad input: each case exits non-zero with one line on stderr that
// says what and where, and loses nothing: a checkpoint without weights, weights of another
// model size, a dataset without the wrist camera, a video folder that cannot be written, a
// disk that fills while a video is encoded (the partial MP4 removed, the figures kept), an
// episode shorter than one chunk, an unknown episode name.
#include "model/RdtRunner.h"
#include "support_eval_run.h"
#include "support_libero_fixture.h"
#include "support_tiny_config.h"
#include "support_trainer_paths.h"
#include "weights/SafetensorsFile.h"
#include "weights/WeightsLoader.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace rdt;
namespace fs = std::filesystem;

namespace {

class EvalErrors : public ::testing::Test {
protected:
    static void SetUpTestSuite() { s_run = new evaltest::TinyRun(evaltest::trainTinyRun("EvalErrors")); }
    static void TearDownTestSuite() { delete s_run; }
    static evaltest::TinyRun *s_run;

    // A copy of the run's checkpoint in its own run folder (so run.yaml is found too).
    static std::string copyCheckpoint(const std::string &name)
    {
        const fs::path run = fs::path(s_run->folder) / name;
        fs::create_directories(run);
        fs::copy_file(fs::path(s_run->folder) / "run" / "run.yaml", run / "run.yaml");
        fs::copy(s_run->checkpoint, run / "checkpoint-2", fs::copy_options::recursive);
        return (run / "checkpoint-2").string();
    }

    // Expects a failure whose last stderr line names every piece of `expected`.
    static void expectFailure(const std::vector<std::string> &args, const std::vector<std::string> &expected,
                              const std::string &prefix = "")
    {
        std::string output;
        const int status = evaltest::runEval(args, output, prefix);
        EXPECT_NE(status, 0) << output;
        std::string last = output;
        while (!last.empty() && last.back() == '\n')
            last.pop_back();
        last = last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1);
        EXPECT_EQ(last.rfind("rdt-trainer eval: ", 0), 0u) << output;
        for (const std::string &piece : expected)
            EXPECT_NE(last.find(piece), std::string::npos) << "'" << piece << "' missing from: " << last;
    }
};
evaltest::TinyRun *EvalErrors::s_run = nullptr;

std::vector<nlohmann::json> readLines(const std::string &path)
{
    std::ifstream in(path);
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(nlohmann::json::parse(line));
    return lines;
}

} // namespace

TEST_F(EvalErrors, CheckpointWithoutWeights)
{
    const std::string checkpoint = copyCheckpoint("no-ema");
    fs::remove_all(fs::path(checkpoint) / "ema");
    expectFailure({"--checkpoint", checkpoint}, {checkpoint, "ema/model.safetensors", "--weights raw"});
    fs::remove(fs::path(checkpoint) / "model.safetensors");
    expectFailure({"--checkpoint", checkpoint, "--weights", "raw"}, {checkpoint, "pytorch_model.bin"});
    EXPECT_FALSE(fs::exists(fs::path(checkpoint).parent_path() / "eval")) << "nothing written for a bad checkpoint";
}

TEST_F(EvalErrors, WeightsOfAnotherModelSize)
{
    const std::string checkpoint = copyCheckpoint("other-size");
    RdtRunner bigger(trainertest::tinyConfig(3, 4));
    const std::string file = checkpoint + "/ema/model.safetensors";
    writeSafetensors(file, stateDictOf(*bigger), {{"format", "pt"}});
    expectFailure({"--checkpoint", checkpoint, "--episodes", "demo_1"}, {file, "do not fit", "model.blocks.2"});
    RdtConfig wider = trainertest::tinyConfig(2, 4);
    wider.hidden_size = 32;
    RdtRunner narrow(wider);
    writeSafetensors(file, stateDictOf(*narrow), {{"format", "pt"}});
    expectFailure({"--checkpoint", checkpoint, "--episodes", "demo_1"}, {file, "do not fit", "shape"});
}

TEST_F(EvalErrors, DatasetWithoutTheWristCamera)
{
    fixture::LiberoFixture libero;
    libero.demo_steps = {40, 40};
    libero.image_height = evaltest::kCameraSide;
    libero.image_width = evaltest::kCameraSide;
    libero.omit = {"obs/eye_in_hand_rgb"};
    const std::string dataset = s_run->folder + "/no-wrist.hdf5";
    fixture::writeLiberoFixture(dataset, libero);
    expectFailure({"--checkpoint", s_run->checkpoint, "--dataset", dataset, "--record_video", "--output_dir",
                   s_run->folder + "/no-wrist"},
                  {dataset, "demo_0", "eye_in_hand_rgb"});
    const auto events = readLines(s_run->folder + "/no-wrist/events.jsonl");
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back()["event"], "error");
}

TEST_F(EvalErrors, VideoFolderThatCannotBeWritten)
{
    const std::string blocker = s_run->folder + "/a-file";
    std::ofstream(blocker) << "not a folder";
    expectFailure({"--checkpoint", s_run->checkpoint, "--record_video", "--video_output_dir", blocker + "/videos",
                   "--output_dir", s_run->folder + "/blocked"},
                  {"--video_output_dir", blocker + "/videos"});
    EXPECT_FALSE(fs::exists(s_run->folder + "/blocked/results.json"));
}

TEST_F(EvalErrors, DiskFullWhileEncodingRemovesThePartialVideoAndKeepsTheResults)
{
    const std::string out = s_run->folder + "/full";
    // Files may grow to 60 blocks (30-60 KB): the JSON files fit, the video does not. The
    // shell ignores SIGXFSZ, so a write past the limit fails with EFBIG as on a full disk.
    expectFailure({"--checkpoint", s_run->checkpoint, "--episodes", "demo_3", "--record_video", "--output_dir", out},
                  {"video", out + "/videos/episode_000_put_the_black_bowl_on_the_plate.mp4", "removed"},
                  "ulimit -f 60; trap '' XFSZ;");
    EXPECT_FALSE(fs::exists(out + "/videos/episode_000_put_the_black_bowl_on_the_plate.mp4"));
    std::ifstream in(out + "/results.json");
    ASSERT_TRUE(in.good()) << "the figures so far are kept";
    const nlohmann::json results = nlohmann::json::parse(in);
    ASSERT_EQ(results["episodes"].size(), 1u);
    EXPECT_EQ(results["episodes"][0]["episode"], "demo_3");
    EXPECT_FALSE(results["episodes"][0].contains("video"));
    EXPECT_TRUE(fs::exists(out + "/actions/demo_3.json"));
    const auto events = readLines(out + "/events.jsonl");
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back()["event"], "error");
}

TEST_F(EvalErrors, EpisodeShorterThanOneChunk)
{
    fixture::LiberoFixture libero;
    libero.demo_steps = {40, 10};
    libero.image_height = evaltest::kCameraSide;
    libero.image_width = evaltest::kCameraSide;
    const std::string dataset = s_run->folder + "/short.hdf5";
    fixture::writeLiberoFixture(dataset, libero);
    expectFailure({"--checkpoint", s_run->checkpoint, "--dataset", dataset, "--episodes", "demo_0,demo_1",
                   "--output_dir", s_run->folder + "/short"},
                  {dataset, "demo_1", "10 steps", "--exec_horizon 16"});
    EXPECT_FALSE(fs::exists(s_run->folder + "/short/results.json"));
}

TEST_F(EvalErrors, UnknownEpisodeAndBadFlags)
{
    expectFailure({"--checkpoint", s_run->checkpoint, "--episodes", "demo_9", "--output_dir", s_run->folder + "/unknown"},
                  {"demo_9", s_run->dataset});
    expectFailure({"--checkpoint", s_run->checkpoint, "--weights", "best"}, {"--weights", "best"});
    expectFailure({"--checkpoint", s_run->checkpoint, "--exec_horizon", "65"}, {"--exec_horizon", "65"});
    expectFailure({"--checkpoint", s_run->folder + "/nowhere"}, {s_run->folder + "/nowhere"});
}
