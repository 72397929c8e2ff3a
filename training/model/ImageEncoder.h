// The image side of the conditioning until the real SigLIP encoder arrives: a small
// trainable patch embedding (one strided convolution, then average pooling onto the token
// grid) that turns the (B, 6, 3, H, W) image history into (B, 6 * patches, img_token_dim)
// tokens. With SigLIP's 729 = 27 x 27 tokens per image the official image position table
// fits, so rdt-1b / rdt-170m weights load. Not part of RDT's state dict: it is saved
// beside it, in encoders.safetensors.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace rdt {

class ImageEncoderImpl : public torch::nn::Module {
public:
    // patches per image (img_num_patches) must be a square s * s with s <= H and s <= W.
    ImageEncoderImpl(int64_t image_height, int64_t image_width, int64_t patches_per_image, int64_t token_dim);

    // images (B, S, 3, H, W) uint8 RGB -> (B, S * patches, token_dim)
    torch::Tensor forward(const torch::Tensor &images);

    torch::nn::Conv2d patch_embed{nullptr};

private:
    int64_t m_gridSide;
};
TORCH_MODULE(ImageEncoder);

} // namespace rdt
