// Reads an MP4's top-level boxes to say why a video cannot play, or plays only in part.
// Qt Multimedia's FFmpeg backend reports a broken file as just "Could not open file"; the
// player adds this reason ("truncated: the 'mdat' box ... ends past the file's end; no
// 'moov' index") so the user knows whether to download it again.
#pragma once

#include <QString>

namespace rdt {

struct VideoFileCheck {
    enum class Verdict {
        Fine,        // nothing wrong found (or not an MP4, which is left to the decoder)
        Truncated,   // the index is there but the data stops early: plays up to the cut
        Broken,      // missing, empty, not an MP4, or no index: will not play
    };
    Verdict verdict = Verdict::Fine;
    QString reason;   // empty when Fine

    static VideoFileCheck inspect(const QString &path);
};

} // namespace rdt
