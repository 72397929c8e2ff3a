// Patch-embedding image encoder.
#include "model/ImageEncoder.h"

#include "model/TrainerError.h"

#include <torch/torch.h>

#include <cmath>

namespace rdt {

ImageEncoderImpl::ImageEncoderImpl(int64_t image_height, int64_t image_width, int64_t patches_per_image,
                                   int64_t token_dim)
{
    // Square patches: p = H / sqrt(patches) must tile both sides exactly.
    const int64_t perSide = static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(patches_per_image))));
    if (perSide * perSide != patches_per_image || image_height % perSide != 0 || image_width % perSide != 0 ||
        image_height != image_width)
        throw TrainerError("image encoder: model.img_num_patches = " + std::to_string(patches_per_image) +
                           " does not tile " + std::to_string(image_height) + "x" + std::to_string(image_width) +
                           " images into square patches (use (H/p)^2, e.g. 64 for 128x128 with p = 16)");
    const int64_t patch = image_height / perSide;
    patch_embed = register_module("patch_embed",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(3, token_dim, patch).stride(patch)));
}

torch::Tensor ImageEncoderImpl::forward(const torch::Tensor &images)
{
    const int64_t B = images.size(0), S = images.size(1);
    // uint8 [0, 255] -> [-1, 1], SigLIP's input range.
    const torch::Tensor x = images.flatten(0, 1).to(patch_embed->weight.scalar_type()) / 127.5 - 1.0;
    const torch::Tensor tokens = patch_embed(x).flatten(2).transpose(1, 2); // (B*S, P, D)
    return tokens.reshape({B, S * tokens.size(1), tokens.size(2)});
}

} // namespace rdt
