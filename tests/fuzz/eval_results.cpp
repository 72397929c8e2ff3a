// Fuzzes the readers of a server-side eval's results: LIBERO's results JSON (with video
// names beside it) and a success CSV. No crash, no undefined behaviour in the counts.
#include "ServerEvalResults.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString source = QStringLiteral("eval/results");
    // Lines after the first blank one are the video file names found beside the results.
    const qsizetype blank = bytes.indexOf("\n\n");
    const QByteArray json = blank < 0 ? bytes : bytes.left(blank);
    QStringList videos;
    if (blank >= 0) {
        for (const QByteArray &name : bytes.mid(blank + 2).split('\n'))
            videos.append(QString::fromUtf8(name));
    }
    (void)rdt::ServerEvalResults::fromLiberoJson(json, source, videos);
    (void)rdt::ServerEvalResults::fromOpenVlaVideos(videos, source);
    (void)rdt::ServerEvalResults::fromSuccessCsv(bytes, source);
    return 0;
}
