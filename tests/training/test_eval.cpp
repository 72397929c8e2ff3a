// `rdt-trainer eval` end to end: a tiny run trained for two steps on a LIBERO-layout file
// with 128-px cameras is evaluated on its held-out episodes with videos. Checks the shared
// eval formats (results.json, actions/, events.jsonl), the MP4s as ffprobe reads them
// (H.264, yuv420p, 20 fps, one frame per step), the first frame upright, raw weights,
// --episodes, the run's recorded dataset, and that the seed decides the predictions.
#include "support_eval_run.h"
#include "support_trainer_paths.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace rdt;
namespace fs = std::filesystem;

namespace {

nlohmann::json readJson(const std::string &path)
{
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << path;
    return nlohmann::json::parse(in);
}

std::vector<nlohmann::json> readLines(const std::string &path)
{
    std::ifstream in(path);
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(nlohmann::json::parse(line));
    return lines;
}

class Eval : public ::testing::Test {
protected:
    static void SetUpTestSuite() { s_run = new evaltest::TinyRun(evaltest::trainTinyRun("Eval")); }
    static void TearDownTestSuite() { delete s_run; }
    static evaltest::TinyRun *s_run;
};
evaltest::TinyRun *Eval::s_run = nullptr;

} // namespace

TEST_F(Eval, HeldOutEpisodesWithVideosWriteTheSharedFormats)
{
    std::string output;
    const int status = evaltest::runEval({"--checkpoint", s_run->checkpoint, "--dataset", s_run->dataset,
                                          "--record_video", "--seed", "3"}, output);
    ASSERT_EQ(status, 0) << output;
    const std::string out = s_run->folder + "/run/eval/checkpoint-2";

    // results.json: the held-out episodes are demo_1 and demo_3 (holdout_every 2).
    const nlohmann::json results = readJson(out + "/results.json");
    EXPECT_EQ(results["checkpoint"], "checkpoint-2");
    EXPECT_EQ(results["weights"], "ema");
    EXPECT_EQ(results["flags"]["exec_horizon"], 16);
    EXPECT_EQ(results["flags"]["held_out"], true);
    ASSERT_EQ(results["episodes"].size(), 2u);
    const std::vector<std::string> expectedDemos = {"demo_1", "demo_3"};
    double steps = 0, mseSum = 0;
    for (size_t i = 0; i < 2; ++i) {
        const nlohmann::json &e = results["episodes"][i];
        EXPECT_EQ(e["index"], i);
        EXPECT_EQ(e["episode"], expectedDemos[i]);
        EXPECT_EQ(e["task"], evaltest::kInstruction);
        EXPECT_EQ(e["steps"], evaltest::kDemoSteps[i == 0 ? 1 : 3]);
        ASSERT_EQ(e["mse_per_dim"].size(), 7u);
        double mean = 0;
        for (double v : e["mse_per_dim"])
            mean += v / 7;
        EXPECT_NEAR(e["mse"].get<double>(), mean, 1e-6);
        EXPECT_GT(e["mse"].get<double>(), 0.0);
        EXPECT_GE(e["gripper_agreement"].get<double>(), 0.0);
        EXPECT_LE(e["gripper_agreement"].get<double>(), 1.0);
        EXPECT_TRUE(std::isfinite(e["l2err"].get<double>()));
        steps += e["steps"].get<double>();
        mseSum += e["mse"].get<double>() * e["steps"].get<double>();
    }
    EXPECT_EQ(results["aggregate"]["episodes"], 2);
    EXPECT_NEAR(results["aggregate"]["mse"].get<double>(), mseSum / steps, 1e-9);
    EXPECT_EQ(results["tasks"][evaltest::kInstruction]["episodes"], 2);
    EXPECT_FALSE(fs::exists(out + "/.results.json.tmp"));

    // actions/<episode>.json: one predicted and one demonstrated action per step; the
    // demonstrated ones are the file's.
    const nlohmann::json actions = readJson(out + "/actions/demo_3.json");
    EXPECT_EQ(actions["fps"], 20);
    EXPECT_EQ(actions["exec_horizon"], 16);
    EXPECT_EQ(actions["dims"], nlohmann::json({"x", "y", "z", "roll", "pitch", "yaw", "gripper"}));
    EXPECT_EQ(actions["chunk_starts"], nlohmann::json({0, 16, 32}));
    ASSERT_EQ(actions["predicted"].size(), static_cast<size_t>(evaltest::kDemoSteps[3]));
    ASSERT_EQ(actions["demonstrated"].size(), static_cast<size_t>(evaltest::kDemoSteps[3]));
    for (int t : {0, 17, evaltest::kDemoSteps[3] - 1})
        for (int c = 0; c < 7; ++c)
            EXPECT_NEAR(actions["demonstrated"][t][c].get<double>(), evaltest::demonstratedAction(3, t, c), 1e-6);

    // events.jsonl: start, one per episode, done.
    const auto events = readLines(out + "/events.jsonl");
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[0]["event"], "start");
    EXPECT_EQ(events[0]["kind"], "eval");
    EXPECT_EQ(events[0]["checkpoint"], "checkpoint-2");
    EXPECT_EQ(events[0]["weights"], "ema");
    EXPECT_EQ(events[0]["episodes"], 2);
    EXPECT_EQ(events[0]["exec_horizon"], 16);
    EXPECT_EQ(events[1]["event"], "episode");
    EXPECT_EQ(events[1]["episode"], "demo_1");
    EXPECT_EQ(events[1]["mse"], results["episodes"][0]["mse"]);
    EXPECT_EQ(events[3]["event"], "done");
    EXPECT_EQ(events[3]["episodes"], 2);
    for (const auto &event : events)
        EXPECT_TRUE(event["time"].is_number());

    // Videos: ffprobe reads H.264 yuv420p at 20 fps with one frame per step.
    for (size_t i = 0; i < 2; ++i) {
        const std::string video = results["episodes"][i]["video"];
        EXPECT_EQ(video, "videos/episode_00" + std::to_string(i) + "_put_the_black_bowl_on_the_plate.mp4");
        EXPECT_EQ(events[1 + i]["video"], video);
        const evaltest::ProbedVideo probed = evaltest::probeVideo(out + "/" + video);
        EXPECT_EQ(probed.codec, "h264");
        EXPECT_EQ(probed.pix_fmt, "yuv420p");
        EXPECT_EQ(probed.frame_rate, "20/1");
        EXPECT_EQ(probed.frames, evaltest::kDemoSteps[i == 0 ? 1 : 3]);
        EXPECT_EQ(probed.width, 768);
    }
    // The first frame is upright: the top camera rows show the fixture's upright row 4,
    // not row 123 (the fixture's green channel is 16 y + x).
    const std::string first = out + "/" + results["episodes"][0]["video"].get<std::string>();
    const evaltest::DecodedFrame frame = evaltest::decodeFirstFrame(first);
    ASSERT_EQ(frame.width, 768) << "decode " << first;
    const int scale = 3, y = 4, x = 4;
    const int green = frame.at(x * scale + 1, y * scale + 1, 1);
    EXPECT_NEAR(green, 16 * y + x, 12) << "top row of the agentview camera";
    const int wristGreen = frame.at((128 + x) * scale + 1, y * scale + 1, 1);
    EXPECT_NEAR(wristGreen, 16 * y + x, 12) << "top row of the wrist camera";
    const int bottomGreen = frame.at(x * scale + 1, (127 - y) * scale + 1, 1);
    EXPECT_NEAR(bottomGreen, (16 * (127 - y) + x) % 256, 12) << "bottom row of the agentview camera";
}

TEST_F(Eval, RawWeightsEpisodesListAndTheSeedDecideTheOutput)
{
    std::string output;
    const std::string a = s_run->folder + "/raw-a", b = s_run->folder + "/raw-b", c = s_run->folder + "/raw-c";
    for (const auto &[folder, seed] : {std::pair{a, "5"}, std::pair{b, "5"}, std::pair{c, "6"}}) {
        ASSERT_EQ(evaltest::runEval({"--checkpoint", s_run->checkpoint, "--weights", "raw", "--episodes",
                                     "demo_0,libero/demo_2", "--seed", seed, "--output_dir", folder},
                                    output),
                  0)
            << output;
    }
    const nlohmann::json results = readJson(a + "/results.json");
    EXPECT_EQ(results["weights"], "raw");
    EXPECT_EQ(results["flags"]["held_out"], false);
    ASSERT_EQ(results["episodes"].size(), 2u);
    EXPECT_EQ(results["episodes"][0]["episode"], "demo_0");
    EXPECT_EQ(results["episodes"][1]["episode"], "demo_2");
    EXPECT_FALSE(results["episodes"][0].contains("video"));
    EXPECT_FALSE(fs::exists(a + "/videos"));
    // The dataset came from the run's recorded arguments (no --dataset given).
    EXPECT_EQ(results["flags"]["dataset"], s_run->dataset);
    EXPECT_EQ(readJson(a + "/actions/demo_2.json")["predicted"], readJson(b + "/actions/demo_2.json")["predicted"]);
    EXPECT_NE(readJson(a + "/actions/demo_2.json")["predicted"], readJson(c + "/actions/demo_2.json")["predicted"]);
}

TEST_F(Eval, InfoReportsEvalAndVideo)
{
    std::string output;
    ASSERT_EQ(trainertest::runCommand(std::string(RDT_TRAINER_BINARY) + " info --json 2>/dev/null", output), 0);
    const nlohmann::json info = nlohmann::json::parse(output);
    EXPECT_EQ(info["eval"], true);
    EXPECT_EQ(info["video"], true) << "this build has FFmpeg with libx264";
}
