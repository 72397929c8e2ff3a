// Draws one video frame of an eval episode: the agentview and wrist cameras side by side,
// upright and upscaled, above one trace strip per action dimension where the demonstrated
// (green) and predicted (orange) actions unfold step by step and a white line marks the
// current step. The traces are kept in a panel that grows by one segment a frame.
#pragma once

#include "eval/LiberoActionDecoder.h"

#include <cstdint>
#include <vector>

namespace rdt {

class EpisodeFrameComposer {
public:
    // cameraHeight x cameraWidth is the stored frame size (LIBERO: 128 x 128). The actions
    // (one per step) and chunk starts are borrowed and must outlive the composer.
    EpisodeFrameComposer(int cameraHeight, int cameraWidth, const std::vector<LiberoAction> &predicted,
                         const std::vector<LiberoAction> &demonstrated, const std::vector<int> &chunkStarts);

    int width() const { return m_width; }
    int height() const { return m_height; }

    // agentview and wrist are the frames of `step` as stored (upside down, HWC RGB). Steps
    // come in order 0, 1, 2, ... Returns the frame, width() x height() RGB24.
    const uint8_t *compose(int step, const uint8_t *agentview, const uint8_t *wrist);

private:
    void drawCamera(const uint8_t *stored, int left);
    void drawTraceSegment(int step);
    int traceX(int step) const;
    int traceY(int dim, float value) const;

    int m_cameraHeight;
    int m_cameraWidth;
    int m_scale;
    int m_width;
    int m_height;
    int m_panelTop;
    const std::vector<LiberoAction> &m_predicted;
    const std::vector<LiberoAction> &m_demonstrated;
    std::vector<float> m_low, m_high; // each dimension's plotted range
    std::vector<uint8_t> m_panel;     // the trace panel so far, width x panel height
    std::vector<uint8_t> m_frame;
};

} // namespace rdt
