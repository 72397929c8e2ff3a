// Chooses Qt Multimedia's FFmpeg backend. Qt 6.4.2's default GStreamer backend crashes on
// an H.264 MP4 on Debian 12 (the plugins it needs are not installed); the FFmpeg backend
// (libffmpegmediaplugin.so, in libqt6multimedia6) plays H.264 and MPEG-4 Part 2 headless.
#pragma once

namespace rdt {

// Sets QT_MEDIA_BACKEND=ffmpeg unless the user set it. Call before the QApplication exists:
// Qt Multimedia reads the variable once, when it first loads a backend.
void preferFfmpegMediaBackend();

} // namespace rdt
