// The eval player's figures (issue 14): time from opening an episode to its first frame on
// screen (target < 300 ms), from a seek to the target frame on screen (target < 100 ms),
// and the resident memory over 20 episodes played in a row (target: flat). Medians over
// 20 tries. References measured in the same run: the ffmpeg CLI decoding the same frame
// of the same file from a cold start (process, open, seek, decode).
//   QT_QPA_PLATFORM=offscreen build/bench/bench_eval_player [episodes=20] [frames=60]
#include "EvalPlayer.h"
#include "MediaBackend.h"
#include "VideoFrameView.h"
#include "support_eval_media.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace rdt;
using namespace rdt::test;

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n == 0 ? 0.0 : (n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0);
}

double residentMiB()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0.0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toDouble() * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0) : 0.0;
}

// The ffmpeg CLI's time to decode frame `frame` of `path` from a cold start, in ms.
double ffmpegReference(const QString &path, int frame, int fps)
{
    QElapsedTimer timer;
    timer.start();
    QProcess ffmpeg;
    ffmpeg.start(QStringLiteral("ffmpeg"), {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-ss"),
                                            QString::number(double(frame) / fps, 'f', 3), QStringLiteral("-i"), path,
                                            QStringLiteral("-frames:v"), QStringLiteral("1"), QStringLiteral("-f"),
                                            QStringLiteral("null"), QStringLiteral("-")});
    ffmpeg.waitForFinished(30000);
    return double(timer.nsecsElapsed()) / 1e6;
}

bool waitForFrame(EvalPlayer &player, int frame, int timeoutMs = 5000)
{
    return QTest::qWaitFor([&] { return frameIndexIn(player.videoView()->image()) == frame && player.shownFrame() == frame; },
                           timeoutMs);
}

} // namespace

int main(int argc, char **argv)
{
    preferFfmpegMediaBackend();
    QApplication app(argc, argv);
    const int episodes = argc > 1 ? std::max(2, atoi(argv[1])) : 20;
    const int frames = argc > 2 ? std::max(10, atoi(argv[2])) : 60;
    constexpr int kFps = 20;

    QTemporaryDir dir;
    std::vector<PlayerEpisode> list;
    for (int i = 0; i < episodes; ++i) {
        const QString video = dir.filePath(QStringLiteral("episode_%1.mp4").arg(i, 3, 10, QLatin1Char('0')));
        const QString actions = dir.filePath(QStringLiteral("demo_%1.json").arg(i));
        const QString error = makeCounterVideo(video, VideoCodec::H264, kFps, frames);
        if (!error.isEmpty() || !writeFile(actions, actionsJson(QStringLiteral("demo_%1").arg(i), frames, kFps))) {
            std::fprintf(stderr, "bench_eval_player: %s\n", qPrintable(error));
            return 1;
        }
        list.push_back({QStringLiteral("episode %1").arg(i), video, actions});
    }

    EvalPlayer player;
    player.resize(900, 640);
    player.show();
    player.setEpisodes(list, 0);
    if (!waitForFrame(player, 0)) {
        std::fprintf(stderr, "bench_eval_player: the first episode never showed its first frame\n");
        return 1;
    }

    // Open -> first frame, each episode once (each file is new to the player).
    std::vector<double> openMs, openReferenceMs;
    for (int i = 1; i < episodes; ++i) {
        QElapsedTimer timer;
        timer.start();
        player.openEpisode(i);
        if (!waitForFrame(player, 0)) {
            std::fprintf(stderr, "bench_eval_player: episode %d showed no first frame\n", i);
            return 1;
        }
        openMs.push_back(double(timer.nsecsElapsed()) / 1e6);
        openReferenceMs.push_back(ffmpegReference(list[size_t(i)].videoPath, 0, kFps));
    }

    // Seek -> target frame on screen, paused, random targets over the whole episode.
    std::vector<double> seekMs, seekReferenceMs;
    QRandomGenerator random(14);
    int last = 0;
    for (int i = 0; i < 20; ++i) {
        int target = random.bounded(frames);
        if (target == last)
            target = (target + frames / 2) % frames;
        QElapsedTimer timer;
        timer.start();
        player.seekToFrame(target);
        if (!waitForFrame(player, target)) {
            std::fprintf(stderr, "bench_eval_player: seek to frame %d never showed it\n", target);
            return 1;
        }
        seekMs.push_back(double(timer.nsecsElapsed()) / 1e6);
        seekReferenceMs.push_back(ffmpegReference(list[size_t(player.currentEpisode())].videoPath, target, kFps));
        last = target;
    }

    // Memory over `episodes` episodes played to the end in a row, at 4x to keep it short.
    player.setSpeed(4.0);
    std::vector<double> rss;
    for (int i = 0; i < episodes; ++i) {
        player.openEpisode(i);
        waitForFrame(player, 0);
        player.play();
        if (!QTest::qWaitFor([&] { return player.mediaPlayer()->mediaStatus() == QMediaPlayer::EndOfMedia; }, 30000)) {
            std::fprintf(stderr, "bench_eval_player: episode %d did not play to the end\n", i);
            return 1;
        }
        rss.push_back(residentMiB());
    }

    const double open = median(openMs), openReference = median(openReferenceMs);
    const double seek = median(seekMs), seekReference = median(seekReferenceMs);
    std::printf("eval player, %d H.264 episodes of %d frames at %d fps (320x240)\n", episodes, frames, kFps);
    std::printf("open -> first frame: median %.1f ms (max %.1f); ffmpeg CLI cold decode %.1f ms; ratio %.2f; "
                "target 300 ms: %.2f of it\n", open, *std::max_element(openMs.begin(), openMs.end()), openReference,
                open / openReference, open / 300.0);
    std::printf("seek -> frame shown: median %.1f ms (max %.1f); ffmpeg CLI cold seek+decode %.1f ms; ratio %.2f; "
                "target 100 ms: %.2f of it\n", seek, *std::max_element(seekMs.begin(), seekMs.end()), seekReference,
                seek / seekReference, seek / 100.0);
    const size_t warm = std::min<size_t>(2, rss.size() - 1);
    std::printf("resident memory after episode 1: %.1f MiB, %zu: %.1f MiB, %zu: %.1f MiB; growth from episode %zu "
                "to %zu: %+.1f MiB (%+.1f%%)\n", rss.front(), warm + 1, rss[warm], rss.size(), rss.back(), warm + 1,
                rss.size(), rss.back() - rss[warm], 100.0 * (rss.back() - rss[warm]) / rss[warm]);
    return 0;
}
