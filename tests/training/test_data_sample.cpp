// Samples from a real LIBERO-layout file: the state at t, the padded action chunk, the
// upright image history in RDT's slot order with the background third camera, the condition
// dropout, and the train/held-out split. Expectations come from the fixture's formulas.
#include "data/Dataset.h"
#include "support_libero_fixture.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace rdt::data;
using namespace rdt::fixture;

namespace {

constexpr uint8_t kBackground = 127;  // RDT: int(0.5 * 255) for SigLIP's image_mean

std::array<double, 6> ortho6dViaQuaternion(int demo, int t)
{
    const double x = fixtureEeOri(demo, t, 0), y = fixtureEeOri(demo, t, 1), z = fixtureEeOri(demo, t, 2);
    const double angle = std::sqrt(x * x + y * y + z * z);
    const double s = std::sin(angle / 2) / angle;
    const double w = std::cos(angle / 2), qx = x * s, qy = y * s, qz = z * s;
    return {1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy + qz * w), 2 * (qx * qz - qy * w),
            2 * (qx * qy - qz * w), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz + qx * w)};
}

std::array<double, kStateDim> expectedState(int demo, int t)
{
    std::array<double, kStateDim> state{};
    for (int j = 0; j < 7; ++j)
        state[j] = fixtureJoint(demo, t, j);
    state[10] = (fixtureGripper(demo, t, 0) - fixtureGripper(demo, t, 1)) * 12.905;
    for (int k = 0; k < 3; ++k)
        state[30 + k] = fixtureEePos(demo, t, k);
    const std::array<double, 6> six = ortho6dViaQuaternion(demo, t);
    for (int k = 0; k < 6; ++k)
        state[33 + k] = six[k];
    return state;
}

std::array<double, kStateDim> expectedAction(int demo, int t)
{
    std::array<double, kStateDim> action{};
    for (int k = 0; k < 6; ++k)
        action[39 + k] = fixtureAction(demo, t, k);
    action[10] = fixtureAction(demo, t, 6) < 0 ? 1.0 : 0.0;
    return action;
}

std::string writeFixture(const std::string& test, const LiberoFixture& fixture = {})
{
    const std::string path = fixtureFolder(test) + "/libero_fixture.hdf5";
    writeLiberoFixture(path, fixture);
    return path;
}

std::unique_ptr<Dataset> openOrFail(const std::string& path, const DatasetOptions& options)
{
    auto dataset = Dataset::open(path, options, DataPosition{7, 0});
    EXPECT_TRUE(dataset.ok()) << dataset.error();
    return dataset.ok() ? std::move(dataset.value()) : nullptr;
}

}  // namespace

TEST(DataSample, StateActionsImagesAndInstruction)
{
    const LiberoFixture fixture;  // demos of 5 and 70 steps, 8x6 images
    const std::string path = writeFixture("sample", fixture);
    DatasetOptions options;
    options.batch_size = 16;
    options.num_workers = 0;
    options.cond_mask_prob = 0;
    auto dataset = openOrFail(path, options);
    ASSERT_TRUE(dataset);
    EXPECT_EQ(dataset->info().episodes, 2);
    EXPECT_EQ(dataset->info().steps, 75);
    EXPECT_EQ(dataset->info().name, "libero_fixture");

    const int height = fixture.image_height, width = fixture.image_width;
    int startsSeen = 0, paddedSeen = 0;
    for (int n = 0; n < 20; ++n) {
        auto batch = dataset->next();
        ASSERT_TRUE(batch.ok()) << batch.error();
        ASSERT_EQ(batch->states.sizes(), (std::vector<int64_t>{16, 1, 128}));
        ASSERT_EQ(batch->actions.sizes(), (std::vector<int64_t>{16, 64, 128}));
        ASSERT_EQ(batch->images.sizes(), (std::vector<int64_t>{16, 6, 3, height, width}));
        ASSERT_EQ(batch->images.dtype(), torch::kUInt8);
        ASSERT_EQ(batch->image_mask.sizes(), (std::vector<int64_t>{16, 6}));
        EXPECT_EQ(batch->index, n);
        auto states = batch->states.accessor<float, 3>();
        auto actions = batch->actions.accessor<float, 3>();
        auto elemMask = batch->state_elem_mask.accessor<float, 3>();
        auto images = batch->images.accessor<uint8_t, 5>();
        auto imageMask = batch->image_mask.accessor<bool, 2>();
        for (int b = 0; b < 16; ++b) {
            const int demo = batch->origins[b].episode_index;
            const int t = batch->origins[b].step;
            const int steps = fixture.demo_steps[demo];
            ASSERT_LT(t, steps);
            const auto state = expectedState(demo, t);
            for (int i = 0; i < kStateDim; ++i)
                ASSERT_NEAR(states[b][0][i], state[i], 1e-5) << "demo " << demo << " t " << t << " slot " << i;
            for (int k = 0; k < kActionChunkSize; ++k) {
                const auto action = expectedAction(demo, std::min(t + k, steps - 1));
                for (int i = 0; i < kStateDim; ++i)
                    ASSERT_NEAR(actions[b][k][i], action[i], 1e-6) << "demo " << demo << " t " << t << " k " << k << " slot " << i;
            }
            paddedSeen += t + kActionChunkSize > steps;
            for (int i = 0; i < kStateDim; ++i) {
                const bool used = i <= 6 || i == 10 || (i >= 30 && i <= 44);
                ASSERT_EQ(elemMask[b][0][i], used ? 1.0f : 0.0f) << i;
            }
            // Slots: (t-1: exterior, right wrist, left wrist), (t: exterior, right wrist, left wrist).
            for (int h = 0; h < 2; ++h) {
                const int frame = t - 1 + h;
                for (int camera = 0; camera < 3; ++camera) {
                    const int slot = h * 3 + camera;
                    const bool real = camera < 2 && frame >= 0;
                    ASSERT_EQ(imageMask[b][slot], real) << "t " << t << " slot " << slot;
                    for (int c = 0; c < 3; ++c)
                        for (int y = 0; y < height; ++y)
                            for (int x = 0; x < width; ++x) {
                                const uint8_t expected =
                                    real ? fixturePixel(demo, frame, camera, y, x, c) : kBackground;
                                ASSERT_EQ(images[b][slot][c][y][x], expected)
                                    << "demo " << demo << " t " << t << " slot " << slot << " c " << c << " y " << y << " x " << x;
                            }
                }
            }
            startsSeen += t == 0;
            EXPECT_EQ(batch->instructions[b], fixture.instruction);
            EXPECT_EQ(batch->ctrl_freqs[b].item<float>(), 20.0f);
        }
    }
    EXPECT_GT(startsSeen, 0) << "the seed should reach a t = 0 sample (history before the start)";
    EXPECT_GT(paddedSeen, 0);
}

TEST(DataSample, DroppedConditionsAsRdt)
{
    LiberoFixture fixture;
    fixture.demo_steps = {4, 9};
    const std::string path = writeFixture("dropped", fixture);
    DatasetOptions options;
    options.batch_size = 3;
    options.num_workers = 1;
    options.cond_mask_prob = 1.0;
    auto dataset = openOrFail(path, options);
    ASSERT_TRUE(dataset);
    auto batch = dataset->next();
    ASSERT_TRUE(batch.ok()) << batch.error();

    // The mean unified state over all 13 steps, computed here.
    std::array<double, kStateDim> mean{};
    for (int demo = 0; demo < 2; ++demo)
        for (int t = 0; t < fixture.demo_steps[demo]; ++t) {
            const auto state = expectedState(demo, t);
            for (int i = 0; i < kStateDim; ++i)
                mean[i] += state[i] / 13.0;
        }
    for (int b = 0; b < 3; ++b) {
        for (int i = 0; i < kStateDim; ++i) {
            EXPECT_NEAR(batch->states[b][0][i].item<float>(), mean[i], 1e-5) << i;
            EXPECT_EQ(batch->state_elem_mask[b][0][i].item<float>(), 0.0f);
        }
        EXPECT_EQ(batch->ctrl_freqs[b].item<float>(), 0.0f);
        EXPECT_EQ(batch->instructions[b], "");
        EXPECT_FALSE(batch->image_mask[b].any().item<bool>());
        EXPECT_TRUE((batch->images[b] == kBackground).all().item<bool>());
        // Actions are the target: never dropped.
        const int demo = batch->origins[b].episode_index;
        const int t = batch->origins[b].step;
        EXPECT_NEAR(batch->actions[b][0][39].item<float>(), fixtureAction(demo, t, 0), 1e-6);
        EXPECT_EQ(batch->action_elem_mask[b][0][39].item<float>(), 1.0f);
    }
}

TEST(DataSample, HeldOutEpisodesAreSplitOff)
{
    LiberoFixture fixture;
    fixture.demo_steps = {5, 70, 6, 7};
    const std::string path = writeFixture("split", fixture);
    DatasetOptions options;
    options.batch_size = 8;
    options.num_workers = 0;
    options.holdout_every = 2;
    options.cond_mask_prob = 0;

    options.split = Split::Holdout;
    auto holdout = openOrFail(path, options);
    ASSERT_TRUE(holdout);
    EXPECT_EQ(holdout->info().episodes, 2);
    EXPECT_EQ(holdout->info().steps, 77);
    options.split = Split::Train;
    auto train = openOrFail(path, options);
    ASSERT_TRUE(train);
    EXPECT_EQ(train->info().steps, 11);
    for (int n = 0; n < 5; ++n) {
        auto batch = train->next();
        ASSERT_TRUE(batch.ok()) << batch.error();
        for (const SampleOrigin& origin : batch->origins) {
            // Train's episodes are demo_0 (5 steps) and demo_2 (6 steps): images say which.
            const int demo = batch->images[&origin - batch->origins.data()][3][2][0][0].item<uint8_t>() - 10;
            EXPECT_TRUE(demo == 0 || demo == 2) << demo;
        }
    }
}

TEST(DataSample, EeStatesServeWhenEePosAndOriAreAbsent)
{
    LiberoFixture fixture;
    fixture.demo_steps = {6};
    fixture.write_ee_pos_ori = false;
    const std::string path = writeFixture("ee_states", fixture);
    DatasetOptions options;
    options.batch_size = 4;
    options.num_workers = 0;
    options.cond_mask_prob = 0;
    auto dataset = openOrFail(path, options);
    ASSERT_TRUE(dataset);
    auto batch = dataset->next();
    ASSERT_TRUE(batch.ok()) << batch.error();
    for (int b = 0; b < 4; ++b) {
        const auto state = expectedState(0, batch->origins[b].step);
        for (int i = 30; i <= 38; ++i)
            EXPECT_NEAR(batch->states[b][0][i].item<float>(), state[i], 1e-5) << i;
    }
}

TEST(DataSample, DemosInNumericOrder)
{
    LiberoFixture fixture;
    fixture.demo_steps.assign(12, 3);  // demo_0 .. demo_11: demo_10 must not sort before demo_2
    const std::string path = writeFixture("order", fixture);
    DatasetOptions options;
    options.batch_size = 32;
    options.num_workers = 0;
    options.cond_mask_prob = 0;
    auto dataset = openOrFail(path, options);
    ASSERT_TRUE(dataset);
    auto batch = dataset->next();
    ASSERT_TRUE(batch.ok()) << batch.error();
    for (int b = 0; b < 32; ++b) {
        // Channel 2 of the exterior camera's frame t is 10 + demo (fixturePixel).
        const int demo = batch->images[b][3][2][0][0].item<uint8_t>() - 10;
        EXPECT_EQ(batch->origins[b].episode_index, demo);
    }
}

TEST(DataSample, ChunkedCompressedImagesReadTheSame)
{
    LiberoFixture fixture;
    fixture.demo_steps = {9, 4};
    const std::string plainPath = writeFixture("plain", fixture);
    fixture.compress_images = true;
    const std::string compressedPath = writeFixture("compressed", fixture);
    DatasetOptions options;
    options.batch_size = 8;
    options.num_workers = 0;
    auto plain = openOrFail(plainPath, options);
    auto compressed = openOrFail(compressedPath, options);
    ASSERT_TRUE(plain && compressed);
    for (int n = 0; n < 3; ++n) {
        auto a = plain->next();
        auto b = compressed->next();
        ASSERT_TRUE(a.ok() && b.ok());
        EXPECT_TRUE(torch::equal(a->images, b->images)) << "batch " << n;
        EXPECT_TRUE(torch::equal(a->image_mask, b->image_mask)) << "batch " << n;
    }
}
