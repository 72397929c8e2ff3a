// The background loader: batches depend only on (seed, position), whatever the number of
// workers; a resumed loader continues the sequence exactly; shutdown is clean at any time;
// the consumer's waiting time is reported.
#include "data/Dataset.h"
#include "support_libero_fixture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

using namespace rdt::data;
using namespace rdt::fixture;

namespace {

std::string writeFixture(const std::string& test)
{
    LiberoFixture fixture;
    fixture.demo_steps = {30, 45, 8};
    const std::string path = fixtureFolder(test) + "/libero.hdf5";
    writeLiberoFixture(path, fixture);
    return path;
}

std::unique_ptr<Dataset> open(const std::string& path, int workers, DataPosition start,
                              int prefetch = 4)
{
    DatasetOptions options;
    options.batch_size = 5;
    options.num_workers = workers;
    options.prefetch_batches = prefetch;
    auto dataset = Dataset::open(path, options, start);
    EXPECT_TRUE(dataset.ok()) << dataset.error();
    return dataset.ok() ? std::move(dataset.value()) : nullptr;
}

void expectSameBatch(const Batch& a, const Batch& b)
{
    ASSERT_EQ(a.index, b.index);
    for (size_t i = 0; i < a.origins.size(); ++i) {
        EXPECT_EQ(a.origins[i].episode_index, b.origins[i].episode_index) << "batch " << a.index;
        EXPECT_EQ(a.origins[i].step, b.origins[i].step) << "batch " << a.index;
    }
    EXPECT_TRUE(torch::equal(a.states, b.states)) << "batch " << a.index;
    EXPECT_TRUE(torch::equal(a.state_elem_mask, b.state_elem_mask)) << "batch " << a.index;
    EXPECT_TRUE(torch::equal(a.actions, b.actions)) << "batch " << a.index;
    EXPECT_TRUE(torch::equal(a.images, b.images)) << "batch " << a.index;
    EXPECT_TRUE(torch::equal(a.image_mask, b.image_mask)) << "batch " << a.index;
    EXPECT_TRUE(torch::equal(a.ctrl_freqs, b.ctrl_freqs)) << "batch " << a.index;
    EXPECT_EQ(a.instructions, b.instructions) << "batch " << a.index;
}

std::vector<Batch> take(Dataset& dataset, int count)
{
    std::vector<Batch> batches;
    for (int i = 0; i < count; ++i) {
        auto batch = dataset.next();
        EXPECT_TRUE(batch.ok()) << batch.error();
        if (!batch.ok())
            break;
        batches.push_back(std::move(batch.value()));
    }
    return batches;
}

}  // namespace

TEST(DataLoader, SameSeedSameBatchesWhateverTheWorkers)
{
    const std::string path = writeFixture("determinism");
    auto inline0 = open(path, 0, {42, 0});
    auto three = open(path, 3, {42, 0});
    ASSERT_TRUE(inline0 && three);
    const std::vector<Batch> a = take(*inline0, 12);
    const std::vector<Batch> b = take(*three, 12);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
        expectSameBatch(a[i], b[i]);

    auto otherSeed = open(path, 2, {43, 0});
    ASSERT_TRUE(otherSeed);
    const std::vector<Batch> c = take(*otherSeed, 3);
    bool differs = false;
    for (size_t i = 0; i < c.size(); ++i)
        differs = differs || !torch::equal(a[i].states, c[i].states);
    EXPECT_TRUE(differs) << "another seed gives other samples";
}

TEST(DataLoader, ResumesFromASavedPosition)
{
    const std::string path = writeFixture("resume");
    auto first = open(path, 2, {9, 0});
    ASSERT_TRUE(first);
    const std::vector<Batch> uninterrupted = take(*first, 10);

    auto before = open(path, 2, {9, 0});
    ASSERT_TRUE(before);
    take(*before, 6);
    const DataPosition saved = before->position();
    EXPECT_EQ(saved.seed, 9u);
    EXPECT_EQ(saved.next_batch, 6);
    EXPECT_NEAR(before->epoch(), 6.0 * 5 / 83, 1e-12);
    before.reset();  // the run stops (with batches still queued)

    auto after = open(path, 3, saved);
    ASSERT_TRUE(after);
    const std::vector<Batch> resumed = take(*after, 4);
    ASSERT_EQ(resumed.size(), 4u);
    for (size_t i = 0; i < resumed.size(); ++i)
        expectSameBatch(resumed[i], uninterrupted[6 + i]);
}

TEST(DataLoader, ShutsDownCleanlyAtAnyMoment)
{
    const std::string path = writeFixture("shutdown");
    const auto started = std::chrono::steady_clock::now();
    for (int round = 0; round < 5; ++round) {
        auto immediately = open(path, 4, {1, 0}, 2);  // workers still starting
        ASSERT_TRUE(immediately);
    }
    {
        auto full = open(path, 3, {1, 0}, 2);
        ASSERT_TRUE(full);
        take(*full, 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // queue full, workers parked
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_LT(seconds, 5.0);
}

TEST(DataLoader, ReportsTheConsumersWait)
{
    const std::string path = writeFixture("wait");
    auto dataset = open(path, 1, {3, 0}, 2);
    ASSERT_TRUE(dataset);
    take(*dataset, 1);  // the first batch is waited for
    const double first = dataset->takeWaitSeconds();
    EXPECT_GT(first, 0.0);
    EXPECT_EQ(dataset->takeWaitSeconds(), 0.0) << "taking resets it";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the worker fills the queue
    take(*dataset, 1);
    EXPECT_LT(dataset->takeWaitSeconds(), first + 0.5);
}

TEST(DataLoader, ReadFailureIsReportedAndSticks)
{
    // Images are read lazily, so a file that vanishes after open() fails at next().
    const std::string folder = fixtureFolder("failure");
    LiberoFixture fixture;
    fixture.demo_steps = {6};
    writeLiberoFixture(folder + "/vanishing.hdf5", fixture);
    auto dataset = open(folder + "/vanishing.hdf5", 0, {5, 0});
    ASSERT_TRUE(dataset);
    std::filesystem::remove(folder + "/vanishing.hdf5");
    auto batch = dataset->next();
    ASSERT_FALSE(batch.ok());
    EXPECT_NE(batch.error().find("vanishing.hdf5: no such file"), std::string::npos) << batch.error();
}
