// Frames in blocks -> composer -> encoder; the partial file goes if anything fails.
#include "video/EpisodeVideo.h"

#include "model/TrainerError.h"
#include "video/EpisodeFrameComposer.h"
#include "video/VideoEncoder.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace rdt {
namespace {

// Frames read from HDF5 at once per camera: 32 x 128 x 128 x 3 = 1.5 MB each, the memory
// bound of the video whatever the episode's length.
constexpr int kFrameBlock = 32;

void encodeEpisode(const EpisodeVideoInput &in, const std::string &path)
{
    auto shape = in.file->imageShape(in.demo, data::LiberoCamera::Agentview);
    if (!shape)
        throw TrainerError(shape.error());
    auto wristShape = in.file->imageShape(in.demo, data::LiberoCamera::EyeInHand);
    if (!wristShape)
        throw TrainerError(wristShape.error());
    if (wristShape->height != shape->height || wristShape->width != shape->width)
        throw TrainerError(in.file->path() + ": data/" + in.demo + " has " + std::to_string(shape->height) + "x" +
                           std::to_string(shape->width) + " agentview frames but " +
                           std::to_string(wristShape->height) + "x" + std::to_string(wristShape->width) +
                           " wrist frames; the video shows them side by side at one size");
    EpisodeFrameComposer composer(shape->height, shape->width, *in.predicted, *in.demonstrated, *in.chunk_starts);
    VideoEncoder encoder(path, composer.width(), composer.height(), kEvalVideoFps);
    const size_t frameBytes = static_cast<size_t>(shape->height) * shape->width * 3;
    std::vector<uint8_t> agentview(frameBytes * kFrameBlock), wrist(frameBytes * kFrameBlock);
    for (int first = 0; first < in.steps; first += kFrameBlock) {
        const int count = std::min(kFrameBlock, in.steps - first);
        for (auto [camera, buffer] : {std::pair{data::LiberoCamera::Agentview, &agentview},
                                      std::pair{data::LiberoCamera::EyeInHand, &wrist}}) {
            auto read = in.file->readFrames(in.demo, camera, first, count, buffer->data());
            if (!read)
                throw TrainerError(read.error());
        }
        for (int i = 0; i < count; ++i)
            encoder.writeFrame(composer.compose(first + i, agentview.data() + i * frameBytes, wrist.data() + i * frameBytes));
    }
    encoder.finish();
}

} // namespace

void writeEpisodeVideo(const EpisodeVideoInput &input, const std::string &path)
{
    try {
        encodeEpisode(input, path);
    } catch (const TrainerError &error) {
        std::remove(path.c_str());
        throw TrainerError(std::string(error.what()) + " (the partial video was removed)");
    } catch (...) {
        std::remove(path.c_str());
        throw;
    }
}

} // namespace rdt
