// One eval episode's MP4: streams the demo's two cameras from the HDF5 file in blocks of
// frames through EpisodeFrameComposer into VideoEncoder, one frame per step at LIBERO's
// 20 Hz. On any failure the partial file is removed before the error goes on.
#pragma once

#include "data/LiberoFile.h"
#include "eval/LiberoActionDecoder.h"

#include <string>
#include <vector>

namespace rdt {

// LIBERO's control rate, so the video plays at the speed of the demonstration.
constexpr int kEvalVideoFps = 20;

struct EpisodeVideoInput {
    const data::LiberoFile *file = nullptr;
    std::string demo;
    int steps = 0;
    const std::vector<LiberoAction> *predicted = nullptr;
    const std::vector<LiberoAction> *demonstrated = nullptr;
    const std::vector<int> *chunk_starts = nullptr;
};

// Writes path. Throws TrainerError (the file removed).
void writeEpisodeVideo(const EpisodeVideoInput &input, const std::string &path);

} // namespace rdt
