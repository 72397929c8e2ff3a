// Final layer of RDT.
#include "model/FinalLayer.h"

#include <torch/torch.h>

namespace rdt {

FinalLayerImpl::FinalLayerImpl(int64_t hidden_size, int64_t out_channels, RmsNormKind norm)
{
    norm_final = register_module("norm_final", RmsNorm(hidden_size, norm));
    ffn_final = register_module("ffn_final", Mlp(hidden_size, hidden_size, out_channels));
}

torch::Tensor FinalLayerImpl::forward(const torch::Tensor &x)
{
    return ffn_final(norm_final(x));
}

} // namespace rdt
