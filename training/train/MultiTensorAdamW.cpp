// Multi-tensor AdamW.
#include "train/MultiTensorAdamW.h"

#include "model/TrainerError.h"

#include <torch/torch.h>

#include <cmath>
#include <sstream>
#include <string>
#include <type_traits>

namespace rdt {

namespace {

// The key under which LibTorch's optimizers keep a parameter's state: the TensorImpl
// address, printed as a string (LibTorch 1.13) or the pointer itself, whichever type the
// installed LibTorch's state map is keyed by.
template <typename Key>
Key stateKey(const torch::Tensor &param)
{
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream key;
        key << param.unsafeGetTensorImpl();
        return key.str();
    } else {
        return static_cast<Key>(param.unsafeGetTensorImpl());
    }
}

using StateMap = std::remove_reference_t<decltype(std::declval<torch::optim::Optimizer &>().state())>;
using StateKey = typename StateMap::key_type;

} // namespace

torch::Tensor MultiTensorAdamW::step(LossClosure closure)
{
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        at::AutoGradMode enableGrad(true);
        loss = closure();
    }
    for (auto &group : param_groups()) {
        const auto &options = static_cast<const torch::optim::AdamWOptions &>(group.options());
        if (options.amsgrad())
            throw TrainerError("AdamW: amsgrad is not supported by the multi-tensor step");
        std::vector<torch::Tensor> params, grads, expAvgs, expAvgSqs;
        int64_t stepCount = 0;
        for (auto &param : group.params()) {
            if (!param.grad().defined())
                continue;
            if (param.grad().is_sparse())
                throw TrainerError("AdamW: sparse gradients are not supported");
            auto &slot = state()[stateKey<StateKey>(param)];
            if (!slot) {
                auto fresh = std::make_unique<torch::optim::AdamWParamState>();
                fresh->step(0);
                fresh->exp_avg(torch::zeros_like(param, torch::MemoryFormat::Preserve));
                fresh->exp_avg_sq(torch::zeros_like(param, torch::MemoryFormat::Preserve));
                slot = std::move(fresh);
            }
            auto &paramState = static_cast<torch::optim::AdamWParamState &>(*slot);
            paramState.step(paramState.step() + 1);
            stepCount = paramState.step();
            params.push_back(param);
            grads.push_back(param.grad());
            expAvgs.push_back(paramState.exp_avg());
            expAvgSqs.push_back(paramState.exp_avg_sq());
        }
        if (params.empty())
            continue;
        // Every parameter of a group is stepped together, so they share the step count.
        const double lr = options.lr();
        const double beta1 = std::get<0>(options.betas());
        const double beta2 = std::get<1>(options.betas());
        const double biasCorrection1 = 1.0 - std::pow(beta1, static_cast<double>(stepCount));
        const double biasCorrection2 = 1.0 - std::pow(beta2, static_cast<double>(stepCount));

        if (options.weight_decay() != 0.0)
            at::_foreach_mul_(params, 1.0 - lr * options.weight_decay());
        at::_foreach_mul_(expAvgs, beta1);
        at::_foreach_add_(expAvgs, grads, 1.0 - beta1);
        at::_foreach_mul_(expAvgSqs, beta2);
        at::_foreach_addcmul_(expAvgSqs, grads, grads, 1.0 - beta2);
        std::vector<torch::Tensor> denominators = at::_foreach_sqrt(expAvgSqs);
        at::_foreach_div_(denominators, std::sqrt(biasCorrection2));
        at::_foreach_add_(denominators, options.eps());
        at::_foreach_addcdiv_(params, expAvgs, denominators, -lr / biasCorrection1);
    }
    return loss;
}

} // namespace rdt
