// A re-entrant checkpoint as a custom autograd function, like PyTorch's use_reentrant=True:
// the backward runs a nested backward over the recomputed block, which accumulates the
// block's parameter gradients directly and returns the gradients of x and c.
#include "model/BlockCheckpoint.h"

#include "model/AutocastState.h"

#include <torch/torch.h>

namespace rdt {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::Variable;
using torch::autograd::variable_list;

// An absent mask travels as an empty tensor: autograd functions take no undefined inputs.
std::optional<torch::Tensor> maskOf(const torch::Tensor &mask)
{
    return mask.numel() > 0 ? std::optional<torch::Tensor>(mask) : std::nullopt;
}

class CheckpointFunction : public torch::autograd::Function<CheckpointFunction> {
public:
    // The block is owned by the model, which outlives every graph built through it, so a
    // raw address in the context is safe.
    static variable_list forward(AutogradContext *ctx, RdtBlockImpl *block, Variable x, Variable c,
                                 Variable mask)
    {
        ctx->saved_data["block"] = reinterpret_cast<int64_t>(block);
        // Backward may run on another thread (CUDA's device threads), where the thread-local
        // autocast flags are off: the recomputation restores the forward pass's.
        const AutocastState autocast = AutocastState::current();
        ctx->saved_data["autocast_gpu"] = autocast.gpu;
        ctx->saved_data["autocast_cpu"] = autocast.cpu;
        ctx->saved_data["autocast_gpu_dtype"] = static_cast<int64_t>(autocast.gpuType);
        ctx->saved_data["autocast_cpu_dtype"] = static_cast<int64_t>(autocast.cpuType);
        ctx->save_for_backward({x, c, mask});
        torch::NoGradGuard noGrad;
        return {block->forward(x, c, maskOf(mask))};
    }

    static variable_list backward(AutogradContext *ctx, variable_list gradOutputs)
    {
        auto *block = reinterpret_cast<RdtBlockImpl *>(ctx->saved_data["block"].toInt());
        const variable_list saved = ctx->get_saved_variables();
        const AutocastState outer = AutocastState::current();
        AutocastState inner;
        inner.gpu = ctx->saved_data["autocast_gpu"].toBool();
        inner.cpu = ctx->saved_data["autocast_cpu"].toBool();
        inner.gpuType = static_cast<at::ScalarType>(ctx->saved_data["autocast_gpu_dtype"].toInt());
        inner.cpuType = static_cast<at::ScalarType>(ctx->saved_data["autocast_cpu_dtype"].toInt());

        Variable x = saved[0].detach().requires_grad_(true);
        Variable c = saved[1].detach().requires_grad_(saved[1].requires_grad());
        Variable out;
        {
            torch::AutoGradMode enableGrad(true);
            inner.apply();
            out = block->forward(x, c, maskOf(saved[2]));
            outer.apply();
        }
        torch::autograd::backward({out}, {gradOutputs[0]});
        return {Variable(), x.grad(), c.requires_grad() ? c.grad() : Variable(), Variable()};
    }
};

} // namespace

torch::Tensor checkpointedBlock(const std::shared_ptr<RdtBlockImpl> &block, const torch::Tensor &x,
                                const torch::Tensor &c, const std::optional<torch::Tensor> &mask)
{
    return CheckpointFunction::apply(block.get(), x, c, mask ? *mask : torch::empty({0}, x.options().dtype(torch::kBool)))[0];
}

} // namespace rdt
