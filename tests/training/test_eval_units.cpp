// The pieces of `rdt-trainer eval` on their own: the LIBERO action mapping round trip,
// the metrics against hand-computed values (RDT's l2err definition), the composed video
// frame (cameras upright, traces, step marker) and the atomic results file.
#include "data/LiberoMapping.h"
#include "eval/AtomicFile.h"
#include "eval/EpisodeMetrics.h"
#include "eval/LiberoActionDecoder.h"
#include "support_libero_fixture.h"
#include "support_trainer_paths.h"
#include "video/EpisodeFrameComposer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace rdt;

namespace {

data::LiberoDemoArrays fixtureDemo(int demo, int steps)
{
    data::LiberoDemoArrays a;
    a.name = "demo_" + std::to_string(demo);
    a.steps = steps;
    for (int t = 0; t < steps; ++t) {
        for (int c = 0; c < 7; ++c) {
            a.actions.push_back(static_cast<float>(fixture::fixtureAction(demo, t, c)));
            a.joint_states.push_back(static_cast<float>(fixture::fixtureJoint(demo, t, c)));
        }
        for (int f = 0; f < 2; ++f)
            a.gripper_states.push_back(static_cast<float>(fixture::fixtureGripper(demo, t, f)));
        for (int k = 0; k < 3; ++k) {
            a.ee_pos.push_back(static_cast<float>(fixture::fixtureEePos(demo, t, k)));
            a.ee_ori.push_back(static_cast<float>(fixture::fixtureEeOri(demo, t, k)));
        }
    }
    return a;
}

} // namespace

TEST(EvalUnits, ActionMappingRoundTripsThroughTheTrainersTable)
{
    const data::LiberoDemoArrays demo = fixtureDemo(1, 40);
    const std::vector<float> quantities = data::liberoQuantities(demo);
    int opens = 0, closes = 0;
    for (int t = 0; t < demo.steps; ++t) {
        float unified[data::kStateDim];
        data::fillUnifiedAction(&quantities[static_cast<size_t>(t) * data::kLiberoQuantityCount], unified);
        const LiberoAction back = liberoActionFromUnified(unified);
        for (int d = 0; d < kLiberoActionDims; ++d)
            EXPECT_FLOAT_EQ(back[d], demo.actions[t * 7 + d]) << "step " << t << " dim " << liberoActionDimNames()[d];
        (demo.actions[t * 7 + 6] < 0 ? opens : closes) += 1;
    }
    EXPECT_GT(opens, 0);
    EXPECT_GT(closes, 0);
}

TEST(EvalUnits, GripperOpennessMapsBackContinuouslyAndClamped)
{
    float unified[data::kStateDim] = {};
    unified[10] = 0.75f; // gripper_open
    EXPECT_FLOAT_EQ(liberoActionFromUnified(unified)[6], -0.5f);
    unified[10] = -0.4f;
    EXPECT_FLOAT_EQ(liberoActionFromUnified(unified)[6], 1.0f);
    unified[41] = 0.3f; // eef_vel_z
    EXPECT_FLOAT_EQ(liberoActionFromUnified(unified)[2], 0.3f);
}

TEST(EvalUnits, MetricsMatchHandComputedValues)
{
    // Two steps. Demonstrated x: 3, 4 (rms sqrt(12.5)); every other dim 0 except gripper.
    std::vector<LiberoAction> demo(2, LiberoAction{}), pred(2, LiberoAction{});
    demo[0][0] = 3.0f;
    demo[1][0] = 4.0f;
    demo[0][6] = -1.0f;
    demo[1][6] = 1.0f;
    pred[0][0] = 2.0f;  // error 1
    pred[1][0] = 4.0f;  // error 0
    pred[0][6] = -0.2f; // agrees (open), error 0.8
    pred[1][6] = -0.5f; // disagrees (open vs close), error 1.5
    pred[1][2] = 0.5f;  // z error 0.5 where the demonstration is 0
    const EpisodeMetrics m = scoreEpisode(pred, demo);
    EXPECT_EQ(m.steps, 2);
    EXPECT_DOUBLE_EQ(m.mse_per_dim[0], 0.5);
    EXPECT_DOUBLE_EQ(m.mse_per_dim[2], 0.125);
    EXPECT_NEAR(m.mse_per_dim[6], (0.64 + 2.25) / 2, 1e-6);
    EXPECT_NEAR(m.mse, (0.5 + 0.125 + (0.64 + 2.25) / 2) / 7, 1e-6);
    // RDT: |err| / (rms + 1e-3), averaged over steps x dims.
    const double rmsX = std::sqrt(12.5), rmsG = 1.0;
    const double expectedL2 = (1.0 / (rmsX + 1e-3) + 0.5 / (0.0 + 1e-3) + 0.8 / (rmsG + 1e-3) + 1.5 / (rmsG + 1e-3)) / 14;
    EXPECT_NEAR(m.l2err, expectedL2, 1e-4);
    EXPECT_DOUBLE_EQ(m.gripper_agreement, 0.5);

    MetricsPool pool;
    pool.add(m);
    EpisodeMetrics perfect = scoreEpisode(demo, demo);
    EXPECT_DOUBLE_EQ(perfect.mse, 0.0);
    EXPECT_DOUBLE_EQ(perfect.gripper_agreement, 1.0);
    perfect.steps = 6; // weighs three times the first
    pool.add(perfect);
    EXPECT_EQ(pool.episodes(), 2);
    EXPECT_NEAR(pool.mean().mse, m.mse * 2 / 8, 1e-9);
    EXPECT_NEAR(pool.mean().gripper_agreement, (0.5 * 2 + 6) / 8, 1e-9);
}

TEST(EvalUnits, ComposedFrameShowsCamerasUprightSideBySideWithTheStepMarked)
{
    const int h = 8, w = 6, steps = 10;
    std::vector<LiberoAction> pred(steps, LiberoAction{}), demo(steps, LiberoAction{});
    for (int t = 0; t < steps; ++t) {
        demo[t][0] = static_cast<float>(t);
        pred[t][0] = static_cast<float>(steps - t);
    }
    const std::vector<int> starts = {0, 4, 8};
    EpisodeFrameComposer composer(h, w, pred, demo, starts);
    EXPECT_EQ(composer.width() % 2, 0);
    EXPECT_EQ(composer.height() % 2, 0);
    const int scale = 384 / h;
    EXPECT_EQ(composer.width(), 2 * w * scale);
    // Stored frames, upside down as LIBERO writes them: stored row r is upright row h-1-r.
    std::vector<uint8_t> agent(h * w * 3), wrist(h * w * 3);
    for (int r = 0; r < h; ++r)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) {
                agent[(r * w + x) * 3 + c] = fixture::fixturePixel(0, 0, 0, h - 1 - r, x, c);
                wrist[(r * w + x) * 3 + c] = fixture::fixturePixel(0, 0, 1, h - 1 - r, x, c);
            }
    const uint8_t *frame = nullptr;
    for (int t = 0; t <= 3; ++t)
        frame = composer.compose(t, agent.data(), wrist.data());
    const auto pixel = [&](int x, int y, int c) { return frame[(static_cast<size_t>(y) * composer.width() + x) * 3 + c]; };
    for (int y : {0, 3, h - 1}) {
        for (int x : {0, w - 1}) {
            for (int c = 0; c < 3; ++c) {
                EXPECT_EQ(pixel(x * scale + 1, y * scale + 1, c), fixture::fixturePixel(0, 0, 0, y, x, c)) << y << "," << x;
                EXPECT_EQ(pixel((w + x) * scale + 1, y * scale + 1, c), fixture::fixturePixel(0, 0, 1, y, x, c));
            }
        }
    }
    // The white step marker runs down the trace panel at step 3's x; step 9's x is still empty.
    int white = 0, colouredRight = 0;
    const int panelTop = h * scale;
    for (int y = panelTop; y < composer.height(); ++y) {
        for (int x = 0; x < composer.width(); ++x) {
            const bool isWhite = pixel(x, y, 0) == 255 && pixel(x, y, 1) == 255 && pixel(x, y, 2) == 255;
            white += isWhite && x < composer.width() / 2 ? 1 : 0;
            const bool trace = (pixel(x, y, 0) == 255 && pixel(x, y, 1) == 150) || (pixel(x, y, 0) == 70 && pixel(x, y, 1) == 200);
            colouredRight += trace && x > composer.width() * 3 / 4 ? 1 : 0;
        }
    }
    EXPECT_GE(white, composer.height() - panelTop - 1);
    EXPECT_EQ(colouredRight, 0) << "traces must unfold with the steps, not be drawn ahead";
    int traced = 0;
    for (int y = panelTop; y < composer.height(); ++y)
        for (int x = 0; x < composer.width() / 3; ++x)
            traced += pixel(x, y, 0) == 255 && pixel(x, y, 1) == 150 ? 1 : 0;
    EXPECT_GT(traced, 0) << "the predicted trace of steps 0-3 is drawn";
}

TEST(EvalUnits, AtomicFileReplacesWholeAndFailsClearly)
{
    const std::string folder = trainertest::scratchFolder("EvalUnits.Atomic");
    const std::string path = folder + "/results.json";
    writeFileAtomically(path, "{\"a\":1}\n");
    writeFileAtomically(path, "{\"a\":2}\n");
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(text, "{\"a\":2}\n");
    EXPECT_FALSE(std::filesystem::exists(folder + "/.results.json.tmp"));
    std::ofstream(folder + "/plain") << "x";
    try {
        writeFileAtomically(folder + "/plain/results.json", "{}");
        FAIL() << "writing under a file must fail";
    } catch (const std::exception &error) {
        EXPECT_NE(std::string(error.what()).find(folder + "/plain/results.json"), std::string::npos) << error.what();
    }
}
