// Benchmark: fetching an eval of 20 videos through the jump host with EvalDownloader (MD5 of
// every file on both sides, each file verified, nothing half-written) against OpenSSH
// `scp -r` through the same jump host (ProxyJump, as `scp -J`) of the same folder, in the
// same run. Each round fetches into a fresh folder with both, interleaved; the best time of
// each is compared (the machine is shared). Then a second fetch of the unchanged eval,
// which moves nothing, against the same scp. Every fetched copy is checked against the
// server's files.
//   tests/sshd/topology run build/bench/bench_eval_fetch [MB_PER_VIDEO=4] [ROUNDS=3]
#include "bench_files.h"
#include "support_files.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include "EvalDownloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

namespace {

constexpr int kVideos = 20;

double fetchSeconds(rdt::SshClient &client, const QString &root, const QString &local, int *moved, QString *error)
{
    rdt::EvalDownloader downloader(&client);
    QSignalSpy done(&downloader, &rdt::EvalDownloader::finished);
    QElapsedTimer timer;
    timer.start();
    downloader.start(root, QStringLiteral("bench"), QStringLiteral("checkpoint-10"), local);
    done.wait(600000);
    if (downloader.error().code != rdt::ErrorCode::None)
        *error = downloader.error().message;
    *moved = downloader.filesMoved();
    return timer.nsecsElapsed() / 1e9;
}

double scpSeconds(const Topology &topo, const QString &from, const QString &to)
{
    QProcess scp;
    QElapsedTimer timer;
    timer.start();
    scp.start(QStringLiteral("scp"), {QStringLiteral("-q"), QStringLiteral("-r"), QStringLiteral("-F"), topo.sshConfigFile(),
                                      from, to});
    scp.waitForFinished(-1);
    if (scp.exitCode() != 0) {
        std::fprintf(stderr, "scp failed: %s\n", scp.readAllStandardError().constData());
        return -1;
    }
    return timer.nsecsElapsed() / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const double mbPerVideo = argc > 1 ? QString::fromUtf8(argv[1]).toDouble() : 4.0;
    const int rounds = argc > 2 ? QString::fromUtf8(argv[2]).toInt() : 3;
    const std::optional<Topology> topo = Topology::fromEnvironment();
    if (!topo) {
        std::fprintf(stderr, "run through tests/sshd/topology run\n");
        return 2;
    }
    QTemporaryDir work;
    const QString root = QDir(work.path()).canonicalPath() + QStringLiteral("/root");
    const QString folder = root + QStringLiteral("/runs/bench/eval/checkpoint-10");
    // The eval's files as the trainer leaves them: 20 videos, their actions, the results.
    qint64 bytes = 0;
    for (int i = 0; i < kVideos; ++i) {
        const qint64 size = qint64(mbPerVideo * 1e6) + i * 4099;
        if (!QDir().mkpath(folder + QStringLiteral("/videos"))
            || !writeRandomFile(folder + QStringLiteral("/videos/episode_%1_put_the_bowl_on_the_plate.mp4").arg(i, 3, 10, QLatin1Char('0')),
                                size, quint32(i + 1))
            || !writeFile(folder + QStringLiteral("/actions/demo_%1.json").arg(i), randomBytes(60000, quint32(100 + i)))) {
            std::fprintf(stderr, "cannot write the eval folder\n");
            return 1;
        }
        bytes += size + 60000;
    }
    writeFile(folder + QStringLiteral("/results.json"), randomBytes(20000, 7));
    writeFile(folder + QStringLiteral("/events.jsonl"), randomBytes(5000, 8));
    const QMap<QString, QByteArray> serverFiles = md5Tree(folder);

    Connected connected = connectRoute(topo->gpuRoute());
    if (!connected.client) {
        std::fprintf(stderr, "connect: %s\n", qPrintable(connected.error.message));
        return 1;
    }
    double rdtBest = 1e9, scpBest = 1e9, againBest = 1e9;
    for (int round = 0; round < rounds; ++round) {
        const QString ours = work.path() + QStringLiteral("/fetch-%1").arg(round);
        const QString theirs = work.path() + QStringLiteral("/scp-%1").arg(round);
        int moved = 0;
        QString error;
        const double rdt = fetchSeconds(*connected.client, root, ours, &moved, &error);
        if (!error.isEmpty() || moved != serverFiles.size() || md5Tree(ours) != serverFiles) {
            std::fprintf(stderr, "fetch failed: %s (%d files)\n", qPrintable(error), moved);
            return 1;
        }
        const double scp = scpSeconds(*topo, QStringLiteral("gpu:") + folder, theirs);
        if (scp < 0 || md5Tree(theirs) != serverFiles) {
            std::fprintf(stderr, "scp's copy differs or failed\n");
            return 1;
        }
        const double again = fetchSeconds(*connected.client, root, ours, &moved, &error);
        if (!error.isEmpty() || moved != 0) {
            std::fprintf(stderr, "second fetch: %s (%d files moved)\n", qPrintable(error), moved);
            return 1;
        }
        rdtBest = std::min(rdtBest, rdt);
        scpBest = std::min(scpBest, scp);
        againBest = std::min(againBest, again);
        std::printf("round %d: rdt %.2f s, scp -r %.2f s, rdt again (nothing to move) %.2f s\n", round + 1, rdt, scp, again);
    }
    const double mb = double(bytes) / 1e6;
    std::printf("eval fetch, %d videos + actions + results (%.0f MB) through the jump host, best of %d:\n", kVideos, mb, rounds);
    std::printf("  rdt (MD5 verified) %.2f s (%.0f MB/s)   scp -J -r %.2f s (%.0f MB/s)   ratio rdt/scp %.2f\n", rdtBest,
                mb / rdtBest, scpBest, mb / scpBest, rdtBest / scpBest);
    std::printf("  unchanged eval fetched again: %.2f s, %.2f of scp's full copy\n", againBest, againBest / scpBest);
    return 0;
}
