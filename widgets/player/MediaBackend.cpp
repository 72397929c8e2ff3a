// See MediaBackend.h for why the FFmpeg backend.
#include "MediaBackend.h"

#include <QByteArray>
#include <QtGlobal>

namespace rdt {

void preferFfmpegMediaBackend()
{
    if (!qEnvironmentVariableIsSet("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", QByteArrayLiteral("ffmpeg"));
}

} // namespace rdt
