// Colour jitter and corruption of a frame, in float, rounded back to 8 bits once.
#include "data/ImageAugment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace rdt::data {
namespace {

constexpr double kPi = 3.14159265358979323846;

using Planes = std::vector<float>;  // 3 x H x W, values 0..255

float clamp255(double v) { return static_cast<float>(std::clamp(v, 0.0, 255.0)); }

float gray(const Planes &p, size_t i, size_t plane)
{
    // ITU-R 601-2 luma, as torchvision's rgb_to_grayscale.
    return 0.299f * p[i] + 0.587f * p[plane + i] + 0.114f * p[2 * plane + i];
}

void blend(Planes &p, const Planes &other, double factor)
{
    for (size_t i = 0; i < p.size(); ++i)
        p[i] = clamp255(factor * p[i] + (1.0 - factor) * other[i]);
}

void adjustHue(Planes &p, size_t plane, double shift)
{
    for (size_t i = 0; i < plane; ++i) {
        const double r = p[i] / 255.0, g = p[plane + i] / 255.0, b = p[2 * plane + i] / 255.0;
        const double maxc = std::max({r, g, b}), minc = std::min({r, g, b}), delta = maxc - minc;
        if (delta <= 0)
            continue;
        double h = maxc == r ? std::fmod((g - b) / delta, 6.0) : maxc == g ? (b - r) / delta + 2.0 : (r - g) / delta + 4.0;
        h = std::fmod(h / 6.0 + shift + 1.0, 1.0) * 6.0;
        const double s = delta / maxc, v = maxc;
        const int sector = static_cast<int>(h) % 6;
        const double f = h - std::floor(h), pp = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        const std::array<std::array<double, 3>, 6> rgb{{{v, t, pp}, {q, v, pp}, {pp, v, t}, {pp, q, v}, {t, pp, v}, {v, pp, q}}};
        for (int c = 0; c < 3; ++c)
            p[c * plane + i] = clamp255(rgb[sector][c] * 255.0);
    }
}

void colorJitter(Planes &p, size_t plane, AugmentRandom &random)
{
    const double brightness = random.uniform(0.7, 1.3), contrast = random.uniform(0.6, 1.4);
    const double saturation = random.uniform(0.5, 1.5), hue = random.uniform(-0.03, 0.03);
    std::array<int, 4> order{0, 1, 2, 3};
    for (int i = 3; i > 0; --i)
        std::swap(order[i], order[random.integer(0, i)]);
    for (int step : order) {
        if (step == 0) {
            for (float &v : p)
                v = clamp255(v * brightness);
        } else if (step == 1) {
            double mean = 0;
            for (size_t i = 0; i < plane; ++i)
                mean += gray(p, i, plane);
            Planes flat(p.size(), static_cast<float>(mean / static_cast<double>(plane)));
            blend(p, flat, contrast);
        } else if (step == 2) {
            Planes grey(p.size());
            for (size_t i = 0; i < plane; ++i)
                grey[i] = grey[plane + i] = grey[2 * plane + i] = gray(p, i, plane);
            blend(p, grey, saturation);
        } else {
            adjustHue(p, plane, hue);
        }
    }
}

// Separable blur with the given 1-D kernel, edges clamped.
void blur(Planes &p, int height, int width, const std::vector<double> &kernel)
{
    const int radius = static_cast<int>(kernel.size()) / 2;
    Planes tmp(p.size());
    const size_t plane = static_cast<size_t>(height) * width;
    for (int c = 0; c < 3; ++c) {
        float *src = p.data() + c * plane, *mid = tmp.data() + c * plane;
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                double sum = 0;
                for (int k = 0; k < static_cast<int>(kernel.size()); ++k)
                    sum += kernel[k] * src[y * width + std::clamp(x + k - radius, 0, width - 1)];
                mid[y * width + x] = static_cast<float>(sum);
            }
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                double sum = 0;
                for (int k = 0; k < static_cast<int>(kernel.size()); ++k)
                    sum += kernel[k] * mid[std::clamp(y + k - radius, 0, height - 1) * width + x];
                src[y * width + x] = static_cast<float>(sum);
            }
    }
}

std::vector<double> boxKernel(int size)
{
    return std::vector<double>(static_cast<size_t>(std::max(size, 1)), 1.0 / std::max(size, 1));
}

std::vector<double> gaussianKernel(double sigma)
{
    if (sigma < 0.1)
        return {1.0};
    const int radius = static_cast<int>(std::ceil(3 * sigma));
    std::vector<double> k(static_cast<size_t>(2 * radius + 1));
    double sum = 0;
    for (int i = -radius; i <= radius; ++i)
        sum += k[i + radius] = std::exp(-0.5 * i * i / (sigma * sigma));
    for (double &v : k)
        v /= sum;
    return k;
}

void corrupt(Planes &p, int height, int width, AugmentRandom &random)
{
    const size_t plane = static_cast<size_t>(height) * width;
    const int kind = random.integer(0, 2);
    const double scale = random.uniform(0.0, 0.05 * 255.0);
    const bool perChannel = random.unit() < 0.5;
    for (size_t i = 0; i < plane; ++i) {
        double shared = 0;
        for (int c = 0; c < 3; ++c) {
            if (c == 0 || perChannel) {
                if (kind == 0) {
                    shared = scale * random.normal();
                } else if (kind == 1) {
                    const double u = random.unit() - 0.5;
                    shared = -scale * (u < 0 ? -1 : 1) * std::log(1 - 2 * std::abs(u));
                } else {
                    // Poisson(lam) - lam, by its normal approximation for the lam here.
                    shared = std::sqrt(scale) * random.normal();
                }
            }
            float &v = p[c * plane + i];
            v = clamp255(v + shared);
        }
    }
    if (random.unit() < 0.5) {
        const int which = random.integer(0, 3);
        if (which == 0)
            blur(p, height, width, gaussianKernel(random.uniform(0.0, 3.0)));
        else if (which == 1)
            blur(p, height, width, boxKernel(random.integer(2, 7)));
        else if (which == 2)
            blur(p, height, width, boxKernel(random.integer(3, 11)));
        else
            blur(p, height, width, boxKernel(random.integer(3, 36) / 4 + 1));
    }
}

}  // namespace

uint64_t AugmentRandom::next()
{
    uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double AugmentRandom::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double AugmentRandom::uniform(double low, double high) { return low + (high - low) * unit(); }

int AugmentRandom::integer(int low, int high)
{
    return low + static_cast<int>(unit() * static_cast<double>(high - low + 1));
}

double AugmentRandom::normal()
{
    const double u1 = 1.0 - unit(), u2 = unit();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
}

void augmentImage(uint8_t *chw, int height, int width, AugmentRandom &random)
{
    if (random.unit() <= 0.5)
        return;
    const int choice = random.integer(0, 2);  // corrupt only, colour only, both
    const size_t plane = static_cast<size_t>(height) * width;
    Planes p(chw, chw + 3 * plane);
    if (choice != 0)
        colorJitter(p, plane, random);
    if (choice != 1)
        corrupt(p, height, width, random);
    for (size_t i = 0; i < p.size(); ++i)
        chw[i] = static_cast<uint8_t>(std::lround(std::clamp(p[i], 0.0f, 255.0f)));
}

}  // namespace rdt::data
