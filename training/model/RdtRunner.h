// RDTRunner's modules (models/rdt_runner.py): the RDT `model` and the condition adaptors
// `lang_adaptor`, `img_adaptor`, `state_adaptor` that bring language, image and
// state/action tokens to the hidden size. Its state dict has the official key names.
#pragma once

#include "model/Rdt.h"
#include "model/RdtConfig.h"

#include <functional>
#include <memory>
#include <optional>
#include <tuple>

namespace rdt {

class RdtRunnerImpl : public torch::nn::Module {
public:
    explicit RdtRunnerImpl(const RdtConfig &config);

    // lang_tokens (B, L, lang_token_dim), img_tokens (B, I, img_token_dim),
    // state_tokens (B, N, 2 * state_token_dim) -> each (..., H)
    std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> adaptConditions(
        const torch::Tensor &lang_tokens, const torch::Tensor &img_tokens, const torch::Tensor &state_tokens);
    // state_adaptor alone: (..., 2 * state_token_dim) -> (..., H)
    torch::Tensor adaptState(const torch::Tensor &state_tokens) { return m_stateAdaptor.forward(state_tokens); }

    // The denoiser as compute_loss calls it: state_tokens (B, 1, 128), noisy_action
    // (B, horizon, 128), action_mask (B, 1, 128) are joined with the mask, adapted, and fed
    // to the model with timesteps (B,) and ctrl_freqs (B,). lang_mask (B, L), true = valid.
    // Returns (B, horizon, 128).
    torch::Tensor denoise(const torch::Tensor &lang_tokens, const std::optional<torch::Tensor> &lang_mask,
                          const torch::Tensor &img_tokens, const torch::Tensor &state_tokens,
                          const torch::Tensor &noisy_action, const torch::Tensor &action_mask,
                          const torch::Tensor &timesteps, const torch::Tensor &ctrl_freqs);

    const RdtConfig &config() const { return m_config; }

    Rdt model{nullptr};

    // An adaptor is an nn.Linear ("linear") or an nn.Sequential ("mlpNx_gelu"), registered
    // under its attribute name so the keys are "lang_adaptor.weight" or "lang_adaptor.0.weight".
    struct ConditionAdaptor {
        std::shared_ptr<torch::nn::Module> module;
        std::function<torch::Tensor(const torch::Tensor &)> forward;
    };

private:
    RdtConfig m_config;
    ConditionAdaptor m_langAdaptor;
    ConditionAdaptor m_imgAdaptor;
    ConditionAdaptor m_stateAdaptor;
};
TORCH_MODULE(RdtRunner);

} // namespace rdt
