// Eval media for the player's test and benchmark: videos made with the ffmpeg CLI whose
// every frame carries its own index as ten black/white bars along the bottom (so a test
// reads which frame is on screen from pixels), and actions files in the eval's format.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QString>

namespace rdt::test {

enum class VideoCodec {
    H264,        // libx264, yuv420p: what `rdt-trainer eval` writes
    Mpeg4Part2,  // mpeg4 with the 'mp4v' tag: what OpenCV's VideoWriter("mp4v") writes
};

// Writes a 320x240 video of `frames` frames at `fps`; returns the ffmpeg error, or empty.
QString makeCounterVideo(const QString &path, VideoCodec codec, int fps, int frames);

// The frame index drawn into `image` (any size, scaled as a whole), or -1 when the bars
// are not there (a black or foreign picture).
int frameIndexIn(const QImage &image);

// An actions/<episode>.json of `steps` steps, 7 LIBERO dims, smooth made-up curves.
QByteArray actionsJson(const QString &episode, int steps, double fps);

bool writeFile(const QString &path, const QByteArray &bytes);

} // namespace rdt::test
