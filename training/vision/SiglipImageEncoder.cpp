// Frozen SigLIP features for a batch's image slots.
#include "vision/SiglipImageEncoder.h"

#include <torch/torch.h>

namespace rdt {
namespace {

// Images per tower call: bounds the attention scores' memory (LibTorch 1.13 has no fused
// kernel: 64 x heads x 729^2 floats) while keeping the matrix products large.
constexpr int64_t kImagesPerForward = 64;

} // namespace

SiglipImageEncoder::SiglipImageEncoder(LoadedSiglip loaded, const c10::Device &device)
    : m_tower(std::move(loaded.tower)), m_processor(loaded.processor), m_device(device),
      m_weightsFile(std::move(loaded.weightsFile))
{
    m_tower->to(device, device.is_cuda() ? torch::kBFloat16 : torch::kFloat32);
}

at::Tensor SiglipImageEncoder::encode(const at::Tensor &images) const
{
    torch::NoGradGuard noGrad;
    const int64_t B = images.size(0), S = images.size(1);
    const torch::Tensor flat = images.to(m_device).flatten(0, 1);
    std::vector<torch::Tensor> chunks;
    for (int64_t begin = 0; begin < flat.size(0); begin += kImagesPerForward) {
        const torch::Tensor pixels = m_processor.preprocess(flat.slice(0, begin, begin + kImagesPerForward));
        chunks.push_back(m_tower->forward(pixels).to(torch::kFloat32));
    }
    const torch::Tensor tokens = torch::cat(chunks, 0); // (B*S, patches, hidden)
    return tokens.reshape({B, S * tokens.size(1), tokens.size(2)});
}

} // namespace rdt
