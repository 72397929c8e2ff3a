// RDT's --image_aug for one upright uint8 CHW frame, from a per-sample seed so a resumed
// run draws the same: with probability 0.5 the frame is augmented, by one of colour only,
// corruption only, or both, as RDT's VLAConsumerDataset chooses. Colour is torchvision's
// ColorJitter(brightness 0.3, contrast 0.4, saturation 0.5, hue 0.03), its four
// adjustments in a random order. Corruption follows RDT's train/image_corrupt.py (imgaug):
// one of additive Gaussian, Laplace or Poisson noise of scale up to 0.05 * 255 (per channel
// half the time), then at most one blur (Gaussian sigma up to 3, box 2..7, median 3..11, or
// motion 3..36); its median blur is approximated by a box blur of the same size and its
// motion blur of length k by a box blur of k / 4 + 1, a documented departure (imgaug is
// Python only).
#pragma once

#include <cstdint>

namespace rdt::data {

// A small, fixed generator (SplitMix64) with the draws the augmentations need.
class AugmentRandom {
public:
    explicit AugmentRandom(uint64_t seed) : m_state(seed) {}
    uint64_t next();
    double unit();                          // [0, 1)
    double uniform(double low, double high);
    int integer(int low, int high);         // [low, high]
    double normal();                        // standard normal (Box-Muller)

private:
    uint64_t m_state;
};

// Augments the frame in place (or leaves it, half the time).
void augmentImage(uint8_t *chw, int height, int width, AugmentRandom &random);

}  // namespace rdt::data
