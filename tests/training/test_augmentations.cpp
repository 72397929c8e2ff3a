// RDT's augmentation flags on real LIBERO-layout files: --cam_ext_mask_prob replaces the
// exterior camera's dropout, --state_noise_snr adds noise of the episode's std scaled by the
// SNR, --image_aug changes about half the frames; all are the same for the same seed (so a
// resume sees the same batches) and leave the sampling of a run without them unchanged.
#include "data/Dataset.h"
#include "data/ImageAugment.h"
#include "support_libero_fixture.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace rdt::data;
using namespace rdt::fixture;

namespace {

std::string writeFixture(const std::string &test)
{
    LiberoFixture fixture;
    fixture.demo_steps = {30, 40};
    fixture.image_height = 12;
    fixture.image_width = 16;
    const std::string path = fixtureFolder(test) + "/libero.hdf5";
    writeLiberoFixture(path, fixture);
    return path;
}

std::vector<Batch> batches(const std::string &path, const DatasetOptions &options, int count)
{
    auto dataset = Dataset::open(path, options, DataPosition{11, 0});
    EXPECT_TRUE(dataset) << (dataset ? "" : dataset.error());
    std::vector<Batch> out;
    for (int i = 0; i < count; ++i) {
        auto batch = dataset.value()->next();
        EXPECT_TRUE(batch) << (batch ? "" : batch.error());
        out.push_back(std::move(batch).value());
    }
    return out;
}

DatasetOptions plain()
{
    DatasetOptions o;
    o.batch_size = 8;
    o.num_workers = 0;
    o.cond_mask_prob = 0.0;
    return o;
}

} // namespace

TEST(Augmentations, ExteriorCameraDropoutReplacesCondMaskProb)
{
    const std::string path = writeFixture("augment_cam_ext");
    DatasetOptions o = plain();
    o.augment.cam_ext_mask_prob = 1.0;
    for (const Batch &batch : batches(path, o, 3)) {
        for (int64_t b = 0; b < batch.image_mask.size(0); ++b) {
            EXPECT_FALSE(batch.image_mask[b][0].item<bool>());
            EXPECT_FALSE(batch.image_mask[b][3].item<bool>());
            EXPECT_TRUE(batch.image_mask[b][4].item<bool>()); // the wrist camera at t
            EXPECT_TRUE((batch.images[b][3] == 127).all().item<bool>());
        }
    }
    o.augment.cam_ext_mask_prob = 1.5;
    auto refused = Dataset::open(path, o, DataPosition{11, 0});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("cam_ext_mask_prob must be at most 1"), std::string::npos) << refused.error();
}

TEST(Augmentations, StateNoiseFollowsTheSnrAndTheSeed)
{
    const std::string path = writeFixture("augment_state_noise");
    const std::vector<Batch> clean = batches(path, plain(), 4);
    DatasetOptions o = plain();
    o.augment.state_noise_snr = 20.0; // noise std = episode std / 10
    const std::vector<Batch> noisy = batches(path, o, 4);
    const std::vector<Batch> again = batches(path, o, 4);
    double noiseSquares = 0, count = 0;
    for (size_t i = 0; i < clean.size(); ++i) {
        // Same windows as without noise: the sampling did not shift.
        EXPECT_TRUE(torch::equal(clean[i].actions, noisy[i].actions)) << i;
        EXPECT_TRUE(torch::equal(noisy[i].states, again[i].states)) << i;
        const torch::Tensor diff = noisy[i].states - clean[i].states;
        EXPECT_GT(diff.abs().max().item<double>(), 0.0);
        // Unused slots have no spread in the episode, so no noise.
        EXPECT_EQ(diff.select(2, 100).abs().max().item<double>(), 0.0);
        noiseSquares += diff.select(2, 0).pow(2).sum().item<double>();
        count += static_cast<double>(diff.size(0));
    }
    // Joint 0's noise is a tenth of its spread over an episode: small beside the state.
    const double rms = std::sqrt(noiseSquares / count);
    const double spread = clean[0].states.select(2, 0).std().item<double>();
    EXPECT_GT(rms, 0.0);
    EXPECT_LT(rms, 0.5 * std::max(spread, 1e-3) + 0.05) << rms << " vs " << spread;
}

TEST(Augmentations, ImageAugChangesAboutHalfTheFramesReproducibly)
{
    const std::string path = writeFixture("augment_images");
    const std::vector<Batch> clean = batches(path, plain(), 4);
    DatasetOptions o = plain();
    o.augment.image_aug = true;
    const std::vector<Batch> augmented = batches(path, o, 4);
    const std::vector<Batch> again = batches(path, o, 4);
    int changed = 0, frames = 0;
    for (size_t i = 0; i < clean.size(); ++i) {
        EXPECT_TRUE(torch::equal(augmented[i].images, again[i].images)) << i;
        for (int64_t b = 0; b < clean[i].images.size(0); ++b)
            for (int64_t s = 0; s < 6; ++s) {
                if (!clean[i].image_mask[b][s].item<bool>())
                    continue; // backgrounds are never augmented
                ++frames;
                changed += !torch::equal(clean[i].images[b][s], augmented[i].images[b][s]);
            }
    }
    ASSERT_GT(frames, 40);
    EXPECT_GT(changed, frames / 4) << changed << " of " << frames;
    EXPECT_LT(changed, 3 * frames / 4) << changed << " of " << frames;
}

TEST(Augmentations, ColourJitterKeepsAGreyFrameGreyOnAverage)
{
    // Every path through augmentImage keeps the bytes in range and a flat frame near flat.
    for (uint64_t seed = 0; seed < 40; ++seed) {
        std::vector<uint8_t> frame(3 * 10 * 10, 100);
        AugmentRandom random(seed);
        augmentImage(frame.data(), 10, 10, random);
        double sum = 0;
        for (uint8_t v : frame)
            sum += v;
        EXPECT_NEAR(sum / frame.size(), 100.0, 40.0) << seed;
    }
}
