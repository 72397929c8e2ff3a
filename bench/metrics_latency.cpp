// Benchmark: from a line appended to metrics.jsonl on the GPU host to the event in
// MetricsFollower::eventsArrived, through the jump host (issue 6: under 1 s median).
// The reference, measured on the same lines in the same run: OpenSSH `ssh -J` running
// `tail -n 0 -F` (inotify, so as fast as a follow can be). The GPU host is a namespace of
// this machine, so lines are appended locally and both ends use one clock.
//   tests/sshd/topology run build/bench/bench_metrics_latency [LINES=60]
#include "MetricsFollower.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

namespace {

double percentile(std::vector<double> values, double fraction)
{
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    const size_t index = std::min(values.size() - 1, size_t(fraction * double(values.size() - 1) + 0.5));
    return values[index];
}

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_metrics_latency: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int lines = argc > 1 ? std::max(5, atoi(argv[1])) : 60;
    const std::optional<Topology> topo = Topology::fromEnvironment();
    if (!topo)
        return fail(QStringLiteral("run me as: tests/sshd/topology run %1").arg(QString::fromLocal8Bit(argv[0])));
    QTemporaryDir folder;
    const QString path = folder.path() + QStringLiteral("/metrics.jsonl");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        return fail(QStringLiteral("cannot write %1").arg(path));
    file.write("{\"event\":\"start\",\"version\":\"bench\",\"world_size\":1,\"step\":0,\"config\":{},\"time\":0}\n");

    QElapsedTimer clock;
    clock.start();
    std::map<qint64, qint64> writtenAt;   // step -> ms
    std::vector<double> ours;
    std::vector<double> reference;

    Connected c = connectRoute(topo->gpuRoute());
    if (!c.client)
        return fail(c.error.message);
    rdt::MetricsFollower follower;
    bool backfilled = false;
    QObject::connect(&follower, &rdt::MetricsFollower::backfilled, [&] { backfilled = true; });
    QObject::connect(&follower, &rdt::MetricsFollower::eventsArrived, [&](const rdt::MetricsEventList &events) {
        for (const rdt::MetricsEvent &event : events) {
            if (event.kind == rdt::MetricsEvent::Kind::Step && writtenAt.count(event.step))
                ours.push_back(double(clock.elapsed() - writtenAt[event.step]));
        }
    });
    QObject::connect(&follower, &rdt::MetricsFollower::interrupted,
                     [](const rdt::Error &error) { std::fprintf(stderr, "follower: %s\n", qPrintable(error.message)); });
    follower.start(c.client.get(), path);

    QProcess tail;
    QByteArray tailBuffer;
    QObject::connect(&tail, &QProcess::readyReadStandardOutput, [&] {
        tailBuffer += tail.readAllStandardOutput();
        qsizetype newline;
        while ((newline = tailBuffer.indexOf('\n')) >= 0) {
            const QByteArray line = tailBuffer.left(newline);
            tailBuffer.remove(0, newline + 1);
            const qsizetype at = line.indexOf("\"step\":");
            if (at < 0)
                continue;
            const qint64 step = line.mid(at + 7, line.indexOf(',', at) - at - 7).toLongLong();
            if (writtenAt.count(step))
                reference.push_back(double(clock.elapsed() - writtenAt[step]));
        }
    });
    tail.start(QStringLiteral("ssh"), {QStringLiteral("-F"), topo->sshConfigFile(), QStringLiteral("gpu"),
                                       QStringLiteral("tail"), QStringLiteral("-n"), QStringLiteral("0"),
                                       QStringLiteral("-F"), path});
    if (!tail.waitForStarted(10000))
        return fail(QStringLiteral("cannot start ssh: %1").arg(tail.errorString()));

    // Both followers attached and idle before the first measured line.
    QElapsedTimer waiting;
    waiting.start();
    while (!backfilled && waiting.elapsed() < 30000)
        QTest::qWait(20);
    QTest::qWait(2000);
    if (!backfilled)
        return fail(QStringLiteral("the follower never caught up with the file"));

    // Irregular gaps, so the lines fall anywhere in the follower's polling period.
    for (int step = 1; step <= lines; ++step) {
        QTest::qWait(150 + int(QRandomGenerator::global()->bounded(350)));
        writtenAt[step] = clock.elapsed();
        file.write(QStringLiteral("{\"step\":%1,\"loss\":0.5,\"lr\":0.0001,\"grad_norm\":1.0,\"samples_per_s\":10,"
                                  "\"epoch\":0,\"time\":%2}\n").arg(step).arg(step).toUtf8());
    }
    QTest::qWait(1500);
    tail.kill();
    tail.waitForFinished(5000);

    const double medianOurs = percentile(ours, 0.5);
    const double medianReference = percentile(reference, 0.5);
    std::printf("lines written:                 %d\n", lines);
    std::printf("MetricsFollower via jump:      %zu received, median %.0f ms, p90 %.0f ms, max %.0f ms\n",
                ours.size(), medianOurs, percentile(ours, 0.9), percentile(ours, 1.0));
    std::printf("ssh -J gpu tail -F (reference): %zu received, median %.0f ms, p90 %.0f ms\n",
                reference.size(), medianReference, percentile(reference, 0.9));
    std::printf("target: median under 1000 ms -> %s (median %.2f x the target; %.1f x ssh+tail -F)\n",
                medianOurs >= 0 && medianOurs < 1000 ? "met" : "NOT met", medianOurs / 1000.0,
                medianReference > 0 ? medianOurs / medianReference : 0.0);
    return ours.size() == size_t(lines) && medianOurs < 1000 ? 0 : 1;
}
