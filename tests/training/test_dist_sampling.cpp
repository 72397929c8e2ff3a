// The pieces of data parallelism that need no second process: the sharded sampling plan
// (n ranks x B see exactly the samples of 1 x nB, disjoint between ranks), torchrun's
// environment with its one-line errors, and the single-process group being the identity.
#include "data/DataPosition.h"
#include "data/SamplingPlan.h"
#include "dist/DistEnv.h"
#include "dist/TrainingGroup.h"
#include "model/TrainerError.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <set>

using namespace rdt;

namespace {

bool sameDraw(const data::SampleDraw &a, const data::SampleDraw &b)
{
    return a.step_number == b.step_number && a.drop_ctrl_freq == b.drop_ctrl_freq && a.drop_state == b.drop_state &&
           a.drop_elem_mask == b.drop_elem_mask && a.drop_language == b.drop_language && a.drop_image == b.drop_image;
}

// Sets the variables for one test and clears them afterwards.
class ScopedEnv {
public:
    explicit ScopedEnv(std::initializer_list<std::pair<const std::string, std::string>> values) : m_values(values)
    {
        for (const auto &[name, value] : m_values)
            setenv(name.c_str(), value.c_str(), 1);
    }
    ~ScopedEnv()
    {
        for (const auto &entry : m_values)
            unsetenv(entry.first.c_str());
    }

private:
    std::map<std::string, std::string> m_values;
};

std::string errorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const TrainerError &error) {
        return error.what();
    }
    return "";
}

} // namespace

TEST(DistSampling, TwoShardsOfBAreOneBatchOfTwoB)
{
    const data::SamplingPlan whole(7, 6, 500, 0.3);
    const data::SamplingPlan rank0(7, 3, 500, 0.3, -1.0, {0, 2});
    const data::SamplingPlan rank1(7, 3, 500, 0.3, -1.0, {1, 2});
    for (int64_t batch = 0; batch < 20; ++batch) {
        for (int b = 0; b < 3; ++b) {
            EXPECT_TRUE(sameDraw(rank0.draw(batch, b), whole.draw(batch, b))) << batch << "/" << b;
            EXPECT_TRUE(sameDraw(rank1.draw(batch, b), whole.draw(batch, 3 + b))) << batch << "/" << b;
        }
    }
    // And the unsharded plan is the plan of one shard of one.
    const data::SamplingPlan single(7, 6, 500, 0.3, -1.0, {0, 1});
    for (int64_t batch = 0; batch < 5; ++batch)
        for (int b = 0; b < 6; ++b)
            EXPECT_TRUE(sameDraw(single.draw(batch, b), whole.draw(batch, b)));
}

TEST(DistSampling, RanksNeverShareASampleNumber)
{
    // With as many steps as samples drawn, the step numbers differ per sample stream; the
    // ranks' streams are disjoint slices, so their (batch, slot) -> stream maps never meet.
    const int ranks = 4, batch = 2;
    std::vector<data::SamplingPlan> plans;
    for (int r = 0; r < ranks; ++r)
        plans.emplace_back(11, batch, 1 << 30, 0.0, -1.0, data::SamplingShard{r, ranks});
    const data::SamplingPlan whole(11, batch * ranks, 1 << 30, 0.0);
    std::set<int64_t> wholeSteps, shardSteps;
    for (int64_t k = 0; k < 50; ++k) {
        for (int b = 0; b < batch * ranks; ++b)
            wholeSteps.insert(whole.draw(k, b).step_number);
        for (int r = 0; r < ranks; ++r)
            for (int b = 0; b < batch; ++b)
                EXPECT_TRUE(shardSteps.insert(plans[r].draw(k, b).step_number).second) << "rank " << r << " batch " << k;
    }
    EXPECT_EQ(shardSteps, wholeSteps);
}

TEST(DistSampling, AResumeWithAnotherWorldSizeContinuesTheSequence)
{
    // One process of batch 3 stops after 5 batches: 15 samples used, which no global batch
    // of 2 x 2 divides. Resumed as 2 ranks of batch 2 from the recorded next sample, the two
    // ranks' batches are exactly samples 15, 16, ... of the sequence: none again, none left out.
    const data::SamplingPlan first(5, 3, 700, 0.2);
    const data::DataPosition stopped{5, 5, 0};
    const int64_t next = stopped.nextSample(3);
    EXPECT_EQ(next, 15);
    const data::SamplingPlan sequence(5, 1, 700, 0.2);   // sample n is batch n of batch size 1
    for (int64_t k = 0; k < 5; ++k)
        for (int b = 0; b < 3; ++b)
            EXPECT_TRUE(sameDraw(first.draw(k, b), sequence.draw(3 * k + b, 0)));
    const data::SamplingPlan rank0(5, 2, 700, 0.2, -1.0, {0, 2, next});
    const data::SamplingPlan rank1(5, 2, 700, 0.2, -1.0, {1, 2, next});
    std::set<int64_t> seen;
    for (int64_t k = 0; k < 10; ++k)
        for (int b = 0; b < 2; ++b) {
            EXPECT_TRUE(sameDraw(rank0.draw(k, b), sequence.draw(next + 4 * k + b, 0))) << k << "/" << b;
            EXPECT_TRUE(sameDraw(rank1.draw(k, b), sequence.draw(next + 4 * k + 2 + b, 0))) << k << "/" << b;
        }
    // The resumed position counts on from there.
    const data::DataPosition resumed{5, 10, next};
    EXPECT_EQ(resumed.nextSample(4), 55);
}

TEST(DistEnvironment, UnsetMeansOneProcessAndNoGroup)
{
    const dist::DistEnv env = dist::readDistEnv();
    EXPECT_EQ(env.world_size, 1);
    EXPECT_FALSE(env.distributed());
    const dist::TrainingGroup group("cpu");
    EXPECT_FALSE(group.distributed());
    EXPECT_TRUE(group.isMain());
    EXPECT_EQ(group.device(), "cpu");
    EXPECT_EQ(group.mean(2.5), 2.5);
    EXPECT_TRUE(group.anyRank(true));
    EXPECT_FALSE(group.anyRank(false));
    group.barrier();
    EXPECT_EQ(group.rankFileName("train.log"), "train.log");
    // The reducer of a single process leaves gradients alone.
    torch::Tensor w = torch::ones({3}, torch::requires_grad());
    auto reducer = group.gradientReducer({w});
    reducer->beforeBackward(true);
    (w * 2).sum().backward();
    reducer->finish();
    EXPECT_TRUE(torch::equal(w.grad(), torch::full({3}, 2.0f)));
}

TEST(DistEnvironment, TorchrunVariablesAreRead)
{
    const ScopedEnv env({{"RANK", "3"}, {"WORLD_SIZE", "8"}, {"LOCAL_RANK", "3"}, {"MASTER_ADDR", "10.0.0.2"},
                         {"MASTER_PORT", "29411"}, {"RDT_RDZV_TIMEOUT", "2.5"}});
    const dist::DistEnv read = dist::readDistEnv();
    EXPECT_EQ(read.rank, 3);
    EXPECT_EQ(read.world_size, 8);
    EXPECT_EQ(read.local_rank, 3);
    EXPECT_EQ(read.master_addr, "10.0.0.2");
    EXPECT_EQ(read.master_port, 29411);
    EXPECT_EQ(read.rdzv_timeout.count(), 2500);
}

TEST(DistEnvironment, BadValuesAreOneLineErrorsNamingTheVariable)
{
    {
        const ScopedEnv env({{"RANK", "2"}, {"WORLD_SIZE", "2"}});
        const std::string error = errorOf([] { dist::readDistEnv(); });
        EXPECT_NE(error.find("RANK=2 is not below WORLD_SIZE=2"), std::string::npos) << error;
    }
    {
        const ScopedEnv env({{"WORLD_SIZE", "two"}});
        const std::string error = errorOf([] { dist::readDistEnv(); });
        EXPECT_NE(error.find("WORLD_SIZE='two'"), std::string::npos) << error;
    }
    {
        const ScopedEnv env({{"MASTER_PORT", "70000"}});
        const std::string error = errorOf([] { dist::readDistEnv(); });
        EXPECT_NE(error.find("MASTER_PORT='70000'"), std::string::npos) << error;
    }
    {
        const ScopedEnv env({{"RDT_RDZV_TIMEOUT", "-1"}});
        const std::string error = errorOf([] { dist::readDistEnv(); });
        EXPECT_NE(error.find("RDT_RDZV_TIMEOUT='-1'"), std::string::npos) << error;
    }
}
