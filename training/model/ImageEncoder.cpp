// Patch-embedding image encoder.
#include "model/ImageEncoder.h"

#include "model/TrainerError.h"

#include <torch/torch.h>

#include <cmath>

namespace rdt {

ImageEncoderImpl::ImageEncoderImpl(int64_t image_height, int64_t image_width, int64_t patches_per_image,
                                   int64_t token_dim)
{
    m_gridSide = static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(patches_per_image))));
    if (m_gridSide * m_gridSide != patches_per_image || m_gridSide > image_height || m_gridSide > image_width)
        throw TrainerError("image encoder: model.img_num_patches = " + std::to_string(patches_per_image) +
                           " is not a square grid that fits " + std::to_string(image_height) + "x" +
                           std::to_string(image_width) + " images (SigLIP's 729 = 27 x 27 fits 128x128 LIBERO images)");
    // Patches as large as fit s per side; the convolution's grid is then pooled to s x s.
    const int64_t patchHeight = image_height / m_gridSide, patchWidth = image_width / m_gridSide;
    patch_embed = register_module("patch_embed",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(3, token_dim, {patchHeight, patchWidth}).stride({patchHeight, patchWidth})));
}

torch::Tensor ImageEncoderImpl::forward(const torch::Tensor &images)
{
    const int64_t B = images.size(0), S = images.size(1);
    // uint8 [0, 255] -> [-1, 1], SigLIP's input range.
    const torch::Tensor x = images.flatten(0, 1).to(patch_embed->weight.scalar_type()) / 127.5 - 1.0;
    torch::Tensor grid = patch_embed(x); // (B*S, D, h, w), h and w >= s
    if (grid.size(2) != m_gridSide || grid.size(3) != m_gridSide)
        grid = torch::adaptive_avg_pool2d(grid, {m_gridSide, m_gridSide});
    const torch::Tensor tokens = grid.flatten(2).transpose(1, 2); // (B*S, s*s, D)
    return tokens.reshape({B, S * tokens.size(1), tokens.size(2)});
}

} // namespace rdt
