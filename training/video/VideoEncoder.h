// A streaming H.264 (yuv420p) MP4 writer on libavformat/libavcodec/libswscale: frames go
// in one at a time as RGB24 and out to the file, so memory stays bounded whatever the
// length. Without FFmpeg at build time, available() is false and opening fails clearly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace rdt {

class VideoEncoder {
public:
    // Whether this build has FFmpeg and libavcodec has an H.264 encoder.
    static bool available();
    // Why not, when available() is false.
    static std::string unavailableReason();

    // Creates path. width and height must be even (yuv420p). threads 1 keeps to one core.
    // Throws TrainerError naming the file and FFmpeg's reason.
    VideoEncoder(const std::string &path, int width, int height, int fps, int threads = 1);
    ~VideoEncoder(); // closes without the trailer if finish() was not reached; never throws
    VideoEncoder(const VideoEncoder &) = delete;
    VideoEncoder &operator=(const VideoEncoder &) = delete;

    // rgb: height rows of width*3 bytes. Throws TrainerError (e.g. the disk is full).
    void writeFrame(const uint8_t *rgb);
    // Flushes the encoder, writes the trailer and closes the file. Throws TrainerError.
    void finish();

    int64_t framesWritten() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace rdt
