// Gradient checkpointing for one RDT block: the forward pass keeps only the block's inputs,
// and the backward pass recomputes the block to get its gradients. The official code
// raises NotImplementedError here; LibTorch has no torch.utils.checkpoint, so this is ours.
#pragma once

#include "model/RdtBlock.h"

#include <memory>
#include <optional>

namespace rdt {

// Same result as block->forward(x, c, mask), with activation memory of one block.
torch::Tensor checkpointedBlock(const std::shared_ptr<RdtBlockImpl> &block, const torch::Tensor &x,
                                const torch::Tensor &c, const std::optional<torch::Tensor> &mask);

} // namespace rdt
