// The multi-tensor optimizer step, gradient clipping and EMA against LibTorch's
// per-parameter versions: the same numbers, and checkpoints that load into either.
#include "train/GradientClipping.h"
#include "train/MultiTensorAdamW.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <vector>

using namespace rdt;

namespace {

// Parameters of several shapes, including a scalar and one that receives no gradient.
std::vector<torch::Tensor> makeParameters(uint64_t seed)
{
    torch::manual_seed(seed);
    std::vector<torch::Tensor> params = {torch::randn({7, 5}), torch::randn({5}), torch::randn({}),
                                         torch::randn({3, 4, 2}), torch::randn({6})};
    for (auto &param : params)
        param.set_requires_grad(true);
    return params;
}

// A loss that touches every parameter but the last, so that one has no gradient.
void backwardOnce(const std::vector<torch::Tensor> &params, int64_t step)
{
    torch::Tensor loss = torch::zeros({});
    for (size_t i = 0; i + 1 < params.size(); ++i)
        loss = loss + (params[i] * params[i]).sum() * static_cast<double>(i + 1) + params[i].sin().sum() * step;
    loss.backward();
}

torch::optim::AdamWOptions options()
{
    return torch::optim::AdamWOptions(3e-2).betas({0.9, 0.98}).weight_decay(1e-2).eps(1e-8);
}

// Optimizer steps first..last for each (parameters, optimizer) pair, on the same losses.
void trainSteps(int64_t first, int64_t last,
                std::initializer_list<std::pair<std::vector<torch::Tensor> *, torch::optim::Optimizer *>> runs)
{
    for (int64_t step = first; step <= last; ++step) {
        for (const auto &[params, optimizer] : runs) {
            backwardOnce(*params, step);
            optimizer->step();
            optimizer->zero_grad();
        }
    }
}

} // namespace

TEST(MultiTensorAdamW, StepsExactlyAsLibTorchsAdamW)
{
    auto ours = makeParameters(1), theirs = makeParameters(1);
    MultiTensorAdamW ourOptimizer(ours, options());
    torch::optim::AdamW theirOptimizer(theirs, options());
    trainSteps(1, 6, {{&ours, &ourOptimizer}, {&theirs, &theirOptimizer}});
    for (size_t i = 0; i < ours.size(); ++i)
        EXPECT_TRUE(torch::equal(ours[i], theirs[i])) << "parameter " << i;
    // The parameter without a gradient never moved, weight decay included.
    EXPECT_TRUE(torch::equal(ours.back(), makeParameters(1).back()));
}

TEST(MultiTensorAdamW, StateSavedByEitherOptimizerResumesTheOther)
{
    auto ours = makeParameters(2), theirs = makeParameters(2);
    MultiTensorAdamW ourOptimizer(ours, options());
    torch::optim::AdamW theirOptimizer(theirs, options());
    trainSteps(1, 3, {{&ours, &ourOptimizer}, {&theirs, &theirOptimizer}});
    // Save ours, load it into a fresh LibTorch AdamW on copies of our weights, and step both.
    torch::serialize::OutputArchive out;
    ourOptimizer.save(out);
    std::stringstream bytes;
    out.save_to(bytes);
    std::vector<torch::Tensor> copies;
    for (const auto &param : ours)
        copies.push_back(param.detach().clone().set_requires_grad(true));
    torch::optim::AdamW reloaded(copies, options());
    torch::serialize::InputArchive in;
    in.load_from(bytes);
    reloaded.load(in);
    trainSteps(4, 5, {{&ours, &ourOptimizer}, {&copies, &reloaded}, {&theirs, &theirOptimizer}});
    for (size_t i = 0; i < ours.size(); ++i) {
        EXPECT_TRUE(torch::equal(ours[i], copies[i])) << "parameter " << i;
        EXPECT_TRUE(torch::equal(ours[i], theirs[i])) << "parameter " << i;
    }
}

TEST(GradientClipping, MatchesLibTorchsClipGradNorm)
{
    for (const double maxNorm : {0.5, 1e6}) {
        auto ours = makeParameters(3), theirs = makeParameters(3);
        backwardOnce(ours, 2);
        backwardOnce(theirs, 2);
        const double ourNorm = clipGradientNorm(ours, maxNorm).item<double>();
        const double theirNorm = torch::nn::utils::clip_grad_norm_(theirs, maxNorm);
        EXPECT_NEAR(ourNorm, theirNorm, 1e-9 * theirNorm) << "max norm " << maxNorm;
        for (size_t i = 0; i + 1 < ours.size(); ++i)
            EXPECT_TRUE(torch::allclose(ours[i].grad(), theirs[i].grad(), 1e-6, 0.0)) << "gradient " << i;
    }
}

TEST(GradientClipping, ClipsToTheMaximumNormAndReportsTheNormBefore)
{
    auto params = makeParameters(4);
    backwardOnce(params, 1);
    const double before = clipGradientNorm(params, std::numeric_limits<double>::infinity()).item<double>();
    ASSERT_GT(before, 1.0);
    EXPECT_DOUBLE_EQ(clipGradientNorm(params, 1.0).item<double>(), before);
    EXPECT_NEAR(clipGradientNorm(params, std::numeric_limits<double>::infinity()).item<double>(), 1.0, 1e-5);
}
