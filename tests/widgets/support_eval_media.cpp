// The bars: bit b of the frame number N is bar b (32 px wide, from the left) at the bottom
// 60 rows, white when set. geq computes them per frame; testsrc2 fills the top for looks.
#include "support_eval_media.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cmath>

namespace rdt::test {

namespace {
constexpr int kBits = 10;   // up to 1023 frames
}

QString makeCounterVideo(const QString &path, VideoCodec codec, int fps, int frames)
{
    const QString duration = QString::number(double(frames) / fps, 'f', 6);
    const QString rate = QString::number(fps);
    QStringList arguments{
        QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"), QStringLiteral("error"), QStringLiteral("-y"),
        QStringLiteral("-f"), QStringLiteral("lavfi"),
        QStringLiteral("-i"), QStringLiteral("testsrc2=size=320x180:rate=%1:duration=%2").arg(rate, duration),
        QStringLiteral("-f"), QStringLiteral("lavfi"),
        QStringLiteral("-i"), QStringLiteral("color=black:size=320x60:rate=%1:duration=%2,"
                                             "geq=lum='if(bitand(floor(N/pow(2,floor(X/32))),1),235,16)':cb=128:cr=128")
                                  .arg(rate, duration),
        QStringLiteral("-filter_complex"), QStringLiteral("[0:v][1:v]vstack,format=yuv420p"),
        QStringLiteral("-frames:v"), QString::number(frames)};
    if (codec == VideoCodec::H264)
        arguments << QStringLiteral("-c:v") << QStringLiteral("libx264") << QStringLiteral("-preset")
                  << QStringLiteral("veryfast") << QStringLiteral("-g") << QString::number(fps);
    else
        arguments << QStringLiteral("-c:v") << QStringLiteral("mpeg4") << QStringLiteral("-tag:v")
                  << QStringLiteral("mp4v") << QStringLiteral("-q:v") << QStringLiteral("3");
    arguments << path;
    QProcess ffmpeg;
    ffmpeg.start(QStringLiteral("ffmpeg"), arguments);
    if (!ffmpeg.waitForStarted())
        return QStringLiteral("ffmpeg did not start (%1); scripts/setup installs it").arg(ffmpeg.errorString());
    if (!ffmpeg.waitForFinished(60000) || ffmpeg.exitCode() != 0)
        return QStringLiteral("ffmpeg failed making %1: %2").arg(path, QString::fromLocal8Bit(ffmpeg.readAllStandardError()));
    return {};
}

int frameIndexIn(const QImage &image)
{
    if (image.isNull())
        return -1;
    const int y = image.height() * 210 / 240;
    int index = 0;
    for (int bit = 0; bit < kBits; ++bit) {
        const int x = image.width() * (bit * 32 + 16) / 320;
        const int grey = qGray(image.pixel(x, y));
        if (grey > 60 && grey < 190)
            return -1;   // neither black nor white: no bars here
        if (grey >= 190)
            index |= 1 << bit;
    }
    return index;
}

QByteArray actionsJson(const QString &episode, int steps, double fps)
{
    const QStringList dims{QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z"), QStringLiteral("roll"),
                           QStringLiteral("pitch"), QStringLiteral("yaw"), QStringLiteral("gripper")};
    QJsonArray predicted, demonstrated, chunkStarts;
    for (int step = 0; step < steps; ++step) {
        if (step % 16 == 0)
            chunkStarts.append(step);
        QJsonArray guess, truth;
        for (int dim = 0; dim < dims.size(); ++dim) {
            const double value = dim == 6 ? (step < steps / 2 ? -1.0 : 1.0) : 0.5 * std::sin(0.1 * step + dim);
            truth.append(value);
            guess.append(value + 0.05 * std::cos(0.3 * step + dim));
        }
        predicted.append(guess);
        demonstrated.append(truth);
    }
    QJsonObject object{{QStringLiteral("episode"), episode},
                       {QStringLiteral("task"), QStringLiteral("put the bowl on the plate")},
                       {QStringLiteral("fps"), fps},
                       {QStringLiteral("exec_horizon"), 16},
                       {QStringLiteral("dims"), QJsonArray::fromStringList(dims)},
                       {QStringLiteral("chunk_starts"), chunkStarts},
                       {QStringLiteral("predicted"), predicted},
                       {QStringLiteral("demonstrated"), demonstrated}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace rdt::test
