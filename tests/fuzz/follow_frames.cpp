// Fuzzes FollowFrameDecoder (the framed stream of a followed remote file: data frames with
// counted bytes, resets, end of file, keepalives) fed in three pieces, as a channel delivers
// them: no crash, no undefined behaviour, and data frames never claim bytes they do not hold.
#include "FollowFrameDecoder.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype first = bytes.isEmpty() ? 0 : qsizetype(uint8_t(bytes.at(0))) % (bytes.size() + 1);
    const qsizetype second = first + (bytes.size() - first) / 2;
    rdt::FollowFrameDecoder decoder;
    for (const QByteArray &piece : {bytes.left(first), bytes.mid(first, second - first), bytes.mid(second)}) {
        const auto frames = decoder.feed(piece);
        if (!frames)
            break;
        for (const rdt::FollowFrame &frame : *frames) {
            if (frame.offset < 0 || frame.bytes.size() > bytes.size())
                std::abort();
        }
    }
    return 0;
}
