// Pad to square, PIL-style two-pass bicubic resize, normalise.
#include "vision/SiglipImageProcessor.h"

#include "model/TrainerError.h"

#include <torch/torch.h>

namespace rdt {
namespace {

// One resize pass as PIL makes it on an 8-bit image: filter, then round and clip to 0..255.
torch::Tensor resizePass(const torch::Tensor &x, int64_t height, int64_t width)
{
    if (x.size(2) == height && x.size(3) == width)
        return x;
    return at::_upsample_bicubic2d_aa(x, {height, width}, false, c10::nullopt, c10::nullopt).round_().clamp_(0, 255);
}

} // namespace

SiglipImageProcessor::SiglipImageProcessor(const SiglipProcessorConfig &config) : m_config(config) {}

std::array<int64_t, 3> SiglipImageProcessor::fillColour() const
{
    std::array<int64_t, 3> fill{};
    for (int c = 0; c < 3; ++c)
        fill[c] = static_cast<int64_t>(m_config.image_mean[c] * 255.0); // Python's int(): truncation
    return fill;
}

at::Tensor SiglipImageProcessor::preprocess(const at::Tensor &images) const
{
    if (images.dim() != 4 || images.size(1) != 3 || images.scalar_type() != torch::kUInt8)
        throw TrainerError("SigLIP preprocessing: images must be uint8 (N, 3, H, W), got " +
                           std::string(c10::toString(images.scalar_type())) + " " + c10::str(images.sizes()));
    const int64_t N = images.size(0), H = images.size(2), W = images.size(3);
    const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(images.device());
    torch::Tensor square = images.to(torch::kFloat32);
    if (H != W) {
        const int64_t side = std::max(H, W);
        const std::array<int64_t, 3> fill = fillColour();
        square = torch::tensor({static_cast<float>(fill[0]), static_cast<float>(fill[1]), static_cast<float>(fill[2])},
                               options).view({1, 3, 1, 1}).repeat({N, 1, side, side});
        const int64_t top = W > H ? (W - H) / 2 : 0, left = H > W ? (H - W) / 2 : 0;
        square.slice(2, top, top + H).slice(3, left, left + W).copy_(images);
    }
    torch::Tensor resized = resizePass(square, square.size(2), m_config.width);
    resized = resizePass(resized, m_config.height, m_config.width);
    const torch::Tensor mean = torch::tensor({m_config.image_mean[0], m_config.image_mean[1], m_config.image_mean[2]},
                                             options.dtype(torch::kFloat64)).view({1, 3, 1, 1});
    const torch::Tensor stdev = torch::tensor({m_config.image_std[0], m_config.image_std[1], m_config.image_std[2]},
                                              options.dtype(torch::kFloat64)).view({1, 3, 1, 1});
    // In double, as the processor's numpy arithmetic is, then float32 as it returns.
    return ((resized.to(torch::kFloat64) * m_config.rescale_factor - mean) / stdev).to(torch::kFloat32);
}

} // namespace rdt
