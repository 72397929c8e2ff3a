// Nearest-neighbour upscaling with the vertical flip, and line drawing on an RGB buffer.
#include "video/EpisodeFrameComposer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace rdt {
namespace {

// A camera is shown at least this tall: 128-px LIBERO frames become 384 px.
constexpr int kCameraDisplayHeight = 384;
constexpr int kStripHeight = 36; // one action dimension's trace strip
constexpr int kStripGap = 2;
constexpr int kMargin = 8;

struct Rgb {
    uint8_t r, g, b;
};
constexpr Rgb kBackground{24, 24, 28};
constexpr Rgb kStrip{40, 40, 46};
constexpr Rgb kChunkTick{90, 90, 100};
constexpr Rgb kDemonstrated{70, 200, 110};
constexpr Rgb kPredicted{255, 150, 40};
constexpr Rgb kMarker{255, 255, 255};

int evenUp(int value)
{
    return value + (value & 1);
}

void put(std::vector<uint8_t> &image, int width, int x, int y, Rgb colour)
{
    uint8_t *p = image.data() + (static_cast<size_t>(y) * width + x) * 3;
    p[0] = colour.r;
    p[1] = colour.g;
    p[2] = colour.b;
}

void fillRect(std::vector<uint8_t> &image, int width, int x0, int y0, int x1, int y1, Rgb colour)
{
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x)
            put(image, width, x, y, colour);
}

// Bresenham, clipped to the image.
void line(std::vector<uint8_t> &image, int width, int height, int x0, int y0, int x1, int y1, Rgb colour)
{
    const int dx = std::abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    const int dy = -std::abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    while (true) {
        if (x0 >= 0 && x0 < width && y0 >= 0 && y0 < height)
            put(image, width, x0, y0, colour);
        if (x0 == x1 && y0 == y1)
            return;
        const int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

} // namespace

EpisodeFrameComposer::EpisodeFrameComposer(int cameraHeight, int cameraWidth, const std::vector<LiberoAction> &predicted,
                                           const std::vector<LiberoAction> &demonstrated,
                                           const std::vector<int> &chunkStarts)
    : m_cameraHeight(cameraHeight), m_cameraWidth(cameraWidth),
      m_scale(std::max(1, kCameraDisplayHeight / std::max(1, cameraHeight))),
      m_width(evenUp(2 * cameraWidth * m_scale)),
      m_height(evenUp(cameraHeight * m_scale + kLiberoActionDims * (kStripHeight + kStripGap) + kMargin)),
      m_panelTop(cameraHeight * m_scale), m_predicted(predicted), m_demonstrated(demonstrated),
      m_low(kLiberoActionDims), m_high(kLiberoActionDims)
{
    for (int d = 0; d < kLiberoActionDims; ++d) {
        float low = 0.0f, high = 0.0f;
        for (const auto *series : {&predicted, &demonstrated}) {
            for (const LiberoAction &a : *series) {
                low = std::min(low, a[d]);
                high = std::max(high, a[d]);
            }
        }
        const float pad = std::max(1e-3f, 0.08f * (high - low));
        m_low[d] = low - pad;
        m_high[d] = high + pad;
    }
    const int panelHeight = m_height - m_panelTop;
    m_panel.resize(static_cast<size_t>(m_width) * panelHeight * 3);
    fillRect(m_panel, m_width, 0, 0, m_width, panelHeight, kBackground);
    for (int d = 0; d < kLiberoActionDims; ++d) {
        const int top = kStripGap + d * (kStripHeight + kStripGap);
        fillRect(m_panel, m_width, kMargin, top, m_width - kMargin, top + kStripHeight, kStrip);
        // Where each sampled chunk starts: a short tick at the strip's top.
        for (int start : chunkStarts)
            line(m_panel, m_width, panelHeight, traceX(start), top, traceX(start), top + 4, kChunkTick);
    }
    m_frame.resize(static_cast<size_t>(m_width) * m_height * 3);
    std::fill(m_frame.begin(), m_frame.end(), uint8_t{0});
}

int EpisodeFrameComposer::traceX(int step) const
{
    const int steps = std::max<int>(2, static_cast<int>(m_demonstrated.size()));
    return kMargin + static_cast<int>(static_cast<int64_t>(step) * (m_width - 2 * kMargin - 1) / (steps - 1));
}

int EpisodeFrameComposer::traceY(int dim, float value) const
{
    const int top = kStripGap + dim * (kStripHeight + kStripGap);
    const float fraction = (value - m_low[dim]) / (m_high[dim] - m_low[dim]);
    return top + kStripHeight - 1 - static_cast<int>(std::lround(fraction * (kStripHeight - 1)));
}

void EpisodeFrameComposer::drawTraceSegment(int step)
{
    const int panelHeight = m_height - m_panelTop;
    const int from = std::max(0, step - 1);
    for (int d = 0; d < kLiberoActionDims; ++d) {
        line(m_panel, m_width, panelHeight, traceX(from), traceY(d, m_demonstrated[from][d]), traceX(step),
             traceY(d, m_demonstrated[step][d]), kDemonstrated);
        line(m_panel, m_width, panelHeight, traceX(from), traceY(d, m_predicted[from][d]), traceX(step),
             traceY(d, m_predicted[step][d]), kPredicted);
    }
}

void EpisodeFrameComposer::drawCamera(const uint8_t *stored, int left)
{
    // LIBERO stores frames upside down: display row y shows stored row H-1-y.
    const size_t rowBytes = static_cast<size_t>(m_cameraWidth) * 3;
    std::vector<uint8_t> scaledRow(rowBytes * m_scale);
    for (int y = 0; y < m_cameraHeight; ++y) {
        const uint8_t *source = stored + static_cast<size_t>(m_cameraHeight - 1 - y) * rowBytes;
        for (int x = 0; x < m_cameraWidth; ++x)
            for (int r = 0; r < m_scale; ++r)
                std::memcpy(&scaledRow[(static_cast<size_t>(x) * m_scale + r) * 3], source + x * 3, 3);
        for (int r = 0; r < m_scale; ++r) {
            uint8_t *target = m_frame.data() + ((static_cast<size_t>(y) * m_scale + r) * m_width + left) * 3;
            std::memcpy(target, scaledRow.data(), scaledRow.size());
        }
    }
}

const uint8_t *EpisodeFrameComposer::compose(int step, const uint8_t *agentview, const uint8_t *wrist)
{
    drawCamera(agentview, 0);
    drawCamera(wrist, m_cameraWidth * m_scale);
    drawTraceSegment(step);
    uint8_t *panel = m_frame.data() + static_cast<size_t>(m_panelTop) * m_width * 3;
    std::memcpy(panel, m_panel.data(), m_panel.size());
    const int x = traceX(step);
    const int panelHeight = m_height - m_panelTop;
    for (int y = 0; y < panelHeight; ++y) {
        uint8_t *p = panel + (static_cast<size_t>(y) * m_width + x) * 3;
        p[0] = kMarker.r;
        p[1] = kMarker.g;
        p[2] = kMarker.b;
    }
    return m_frame.data();
}

} // namespace rdt
