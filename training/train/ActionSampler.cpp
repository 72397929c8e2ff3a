// Conditional sampling as RDTRunner.conditional_sample does it.
#include "train/ActionSampler.h"

#include <torch/torch.h>

namespace rdt {

at::Tensor sampleActions(RdtRunner &runner, DpmSolver &solver, const RunnerInputs &inputs, const at::Tensor &initNoise)
{
    torch::NoGradGuard noGrad;
    const int64_t horizon = initNoise.size(1);
    const torch::Tensor stateTokens = torch::cat({inputs.state_tokens, inputs.action_mask}, 2); // (B, 1, 256)
    auto [langCond, imgCond, stateTraj] = runner->adaptConditions(inputs.lang_tokens, inputs.img_tokens, stateTokens);
    const torch::Tensor actionMask = inputs.action_mask.expand({-1, horizon, -1});
    std::optional<torch::Tensor> langMask;
    if (inputs.lang_mask.defined())
        langMask = inputs.lang_mask.to(torch::kBool);

    solver.setTimesteps(runner->config().num_inference_timesteps);
    torch::Tensor noisyAction = initNoise;
    const auto &timesteps = solver.timesteps();
    for (size_t i = 0; i < timesteps.size(); ++i) {
        const torch::Tensor actionTraj = runner->adaptState(torch::cat({noisyAction, actionMask}, 2));
        const torch::Tensor stateActionTraj = torch::cat({stateTraj, actionTraj}, 1);
        // One timestep for the whole batch, shape (1,), as the reference passes it.
        const torch::Tensor t = torch::full({1}, timesteps[i], torch::TensorOptions().dtype(torch::kInt64).device(initNoise.device()));
        const torch::Tensor modelOutput =
            runner->model->forward(stateActionTraj, inputs.ctrl_freqs, t, langCond, imgCond, langMask, std::nullopt);
        noisyAction = solver.step(modelOutput, i, noisyAction).to(stateTraj.scalar_type());
    }
    return noisyAction * actionMask;
}

} // namespace rdt
