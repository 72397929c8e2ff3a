// RDT's image preparation for SigLIP, on whichever device the images are: expand2square
// (pad the shorter side, centred, with the processor's mean colour as int(mean * 255)),
// then SiglipImageProcessor: resize to the processor's size with PIL's bicubic filter,
// rescale by 1/255, normalise by mean and std. PIL resizes 8-bit images in two passes,
// horizontal then vertical, rounding to 8 bits after each; so do we, with LibTorch's
// antialiased bicubic (PIL's a = -0.5 kernel), which leaves at most one level of
// difference from PIL where the fixed-point rounding of a tie differs.
#pragma once

#include "vision/SiglipConfig.h"

#include <ATen/core/Tensor.h>

#include <array>

namespace rdt {

class SiglipImageProcessor {
public:
    explicit SiglipImageProcessor(const SiglipProcessorConfig &config);

    // images (N, 3, H, W) uint8 RGB upright, any H and W -> pixel_values (N, 3, S, S) float32
    at::Tensor preprocess(const at::Tensor &images) const;

    // The padding and background colour: int(mean * 255) per channel, as RDT computes it.
    std::array<int64_t, 3> fillColour() const;

private:
    SiglipProcessorConfig m_config;
};

} // namespace rdt
