// The image side of RDT's conditioning: every image slot of a batch (history x cameras,
// background images included, as RDT feeds them) through the processor and the frozen
// SigLIP tower, whose last_hidden_state tokens are what RDT's img_adaptor takes.
// No gradients and no trainable parameters: nothing of it is saved in a checkpoint.
#pragma once

#include "vision/SiglipImageProcessor.h"
#include "vision/SiglipLoader.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

namespace rdt {

class SiglipImageEncoder {
public:
    // Moves the tower to the device: bfloat16 on a GPU (as RDT runs it), float32 on the CPU.
    SiglipImageEncoder(LoadedSiglip loaded, const c10::Device &device);

    // images (B, S, 3, H, W) uint8 -> tokens (B, S * patches, hidden) float32 on the device
    at::Tensor encode(const at::Tensor &images) const;

    int64_t tokensPerImage() const { return m_tower->config().numPatches(); }
    int64_t hiddenSize() const { return m_tower->config().hidden_size; }
    const std::string &weightsFile() const { return m_weightsFile; }

private:
    mutable SiglipVisionTower m_tower; // forward is not const in LibTorch; the tower is frozen
    SiglipImageProcessor m_processor;
    c10::Device m_device;
    std::string m_weightsFile;
};

} // namespace rdt
