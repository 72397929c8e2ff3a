// RDTRunner: adaptors and the denoising call of compute_loss.
#include "model/RdtRunner.h"

#include "model/TrainerError.h"

#include <torch/torch.h>

#include <regex>

namespace rdt {
namespace {

// build_condition_adapter: "linear" is a bare Linear(in, H); "mlpNx_gelu" is Linear(in, H)
// then N-1 x [GELU(tanh), Linear(H, H)], giving the keys .0, .2, .4, ...
RdtRunnerImpl::ConditionAdaptor buildConditionAdapter(const std::string &projectorType, int64_t inFeatures,
                                                      int64_t outFeatures)
{
    if (projectorType == "linear") {
        torch::nn::Linear linear(inFeatures, outFeatures);
        return {linear.ptr(), [linear](const torch::Tensor &x) mutable { return linear(x); }};
    }
    static const std::regex kMlpGelu("^mlp(\\d+)x_gelu$");
    std::smatch match;
    if (!std::regex_match(projectorType, match, kMlpGelu))
        throw TrainerError("unknown condition adaptor '" + projectorType + "'");
    const int depth = std::stoi(match[1].str());
    torch::nn::Sequential projector;
    projector->push_back(torch::nn::Linear(inFeatures, outFeatures));
    for (int i = 1; i < depth; ++i) {
        projector->push_back(torch::nn::GELU(torch::nn::GELUOptions().approximate("tanh")));
        projector->push_back(torch::nn::Linear(outFeatures, outFeatures));
    }
    return {projector.ptr(), [projector](const torch::Tensor &x) mutable { return projector->forward(x); }};
}

} // namespace

RdtRunnerImpl::RdtRunnerImpl(const RdtConfig &config) : m_config(config)
{
    config.validate("model configuration");
    model = register_module("model", Rdt(config));
    m_langAdaptor = buildConditionAdapter(config.lang_adaptor, config.lang_token_dim, config.hidden_size);
    register_module("lang_adaptor", m_langAdaptor.module);
    m_imgAdaptor = buildConditionAdapter(config.img_adaptor, config.img_token_dim, config.hidden_size);
    register_module("img_adaptor", m_imgAdaptor.module);
    // A state is an action or a proprioception vector, joined with its validity mask.
    m_stateAdaptor = buildConditionAdapter(config.state_adaptor, config.state_token_dim * 2, config.hidden_size);
    register_module("state_adaptor", m_stateAdaptor.module);
}

std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> RdtRunnerImpl::adaptConditions(
    const torch::Tensor &lang_tokens, const torch::Tensor &img_tokens, const torch::Tensor &state_tokens)
{
    return {m_langAdaptor.forward(lang_tokens), m_imgAdaptor.forward(img_tokens), m_stateAdaptor.forward(state_tokens)};
}

torch::Tensor RdtRunnerImpl::denoise(const torch::Tensor &lang_tokens,
                                     const std::optional<torch::Tensor> &lang_mask,
                                     const torch::Tensor &img_tokens, const torch::Tensor &state_tokens,
                                     const torch::Tensor &noisy_action, const torch::Tensor &action_mask,
                                     const torch::Tensor &timesteps, const torch::Tensor &ctrl_freqs)
{
    torch::Tensor stateActionTraj = torch::cat({state_tokens, noisy_action}, 1); // (B, 1+T, 128)
    const torch::Tensor mask = action_mask.expand({-1, stateActionTraj.size(1), -1});
    stateActionTraj = torch::cat({stateActionTraj, mask}, 2);                  // (B, 1+T, 256)
    auto [langCond, imgCond, traj] = adaptConditions(lang_tokens, img_tokens, stateActionTraj);
    std::optional<torch::Tensor> langMask;
    if (lang_mask)
        langMask = lang_mask->to(torch::kBool);
    return model->forward(traj, ctrl_freqs, timesteps, langCond, imgCond, langMask, std::nullopt);
}

} // namespace rdt
