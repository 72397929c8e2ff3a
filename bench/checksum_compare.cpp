// Benchmark: comparing a workstation folder with its copy on the server, as a no-change
// `rdtctl sync` does before it decides that nothing moves. A 1 GB dataset and a 2.3 GB
// model (sizes in MiB as arguments). The GPU host shares this machine's file system, so the
// same folder is "local" and "remote". Printed in one run, against references measured in it:
//   cold: ChecksumComparer with empty caches, against md5sum alone on the slower side
//         (target: at most 1.15x). Both sides hash at the same time, here on the same cores,
//         so the run also times both md5sums at once, the fair reference on one machine.
//   warm: the same comparison again, caches filled (target: under 1 s)
//   tests/sshd/topology run build/bench/bench_checksum_compare [DATASET_MIB=1024] [MODEL_MIB=2300]
#include "support_ssh_session.h"
#include "support_topology.h"

#include "ChecksumCache.h"
#include "ChecksumComparer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include "bench_files.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_checksum_compare: %s\n", qPrintable(message));
    return 1;
}

// Seconds, or a negative number on failure. `error` gets the reason.
double timedCompare(rdt::SshClient *client, const QString &folder, rdt::ChecksumCache *cache, bool *identical, QString *error)
{
    rdt::ChecksumComparer comparer(client);
    rdt::LocalChecksumOptions local;
    local.cache = cache;
    comparer.setLocalOptions(local);
    QSignalSpy finished(&comparer, &rdt::ChecksumComparer::finished);
    QElapsedTimer timer;
    timer.start();
    comparer.start(folder, folder);
    if (!finished.wait(600000)) {
        *error = QStringLiteral("the comparison did not finish within 10 minutes");
        return -1;
    }
    const double seconds = timer.nsecsElapsed() / 1e9;
    if (comparer.error().code != rdt::ErrorCode::None) {
        *error = comparer.error().message;
        return -1;
    }
    *identical = comparer.comparison().isIdentical();
    return seconds;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 datasetMiB = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1024;
    const qint64 modelMiB = argc > 2 ? QByteArray(argv[2]).toLongLong() : 2300;
    const std::optional<Topology> topo = Topology::fromEnvironment();
    if (!topo)
        return fail(QStringLiteral("run me as: tests/sshd/topology run %1").arg(QString::fromLocal8Bit(argv[0])));
    Connected c = connectRoute(topo->gpuRoute());
    if (!c.client)
        return fail(c.error.message);

    QTemporaryDir dir(QStringLiteral("/tmp/rdt-checksum-bench-XXXXXX"));   // removed on exit
    if (!dir.isValid())
        return fail(QStringLiteral("cannot create a folder under /tmp"));
    const QString folder = dir.filePath(QStringLiteral("sync"));
    QDir().mkpath(folder);
    const QString dataset = folder + QStringLiteral("/libero_10.hdf5");
    const QString model = folder + QStringLiteral("/pytorch_model.bin");
    if (!writeRandomFile(dataset, datasetMiB << 20, quint32(datasetMiB))
        || !writeRandomFile(model, modelMiB << 20, quint32(modelMiB)))
        return fail(QStringLiteral("cannot write the test files under %1").arg(folder));

    // References: md5sum alone on each side, page cache warm (read once first).
    QProcess warmup;
    warmup.start(QStringLiteral("cat"), {dataset, model});
    warmup.setStandardOutputFile(QProcess::nullDevice());
    warmup.waitForFinished(-1);
    // Best of two each, so that a neighbour's burst on a shared machine does not flatter us.
    double localSeconds = 1e9;
    double remoteSeconds = 1e9;
    for (int round = 0; round < 2; ++round) {
        QElapsedTimer timer;
        timer.start();
        QProcess localMd5sum;
        localMd5sum.start(QStringLiteral("md5sum"), {QStringLiteral("--"), dataset, model});
        localMd5sum.waitForFinished(-1);
        localSeconds = qMin(localSeconds, timer.nsecsElapsed() / 1e9);
        rdt::CommandSpec remoteSpec;
        remoteSpec.argv = {"md5sum", "--", dataset.toUtf8(), model.toUtf8()};
        const CommandRun remoteMd5sum = runCommand(*c.client, remoteSpec, 600000);
        if (!remoteMd5sum.finished || remoteMd5sum.exitStatus != 0)
            return fail(QStringLiteral("md5sum on the server failed: %1%2").arg(remoteMd5sum.error.message, QString::fromUtf8(remoteMd5sum.err)));
        remoteSeconds = qMin(remoteSeconds, remoteMd5sum.elapsedMs / 1000.0);
    }
    const double slower = qMax(localSeconds, remoteSeconds);
    // Here both "machines" share this machine's cores, so also: both md5sums at once.
    double bothSeconds = 0;
    {
        QElapsedTimer timer;
        timer.start();
        QProcess localMd5sum;
        localMd5sum.start(QStringLiteral("md5sum"), {QStringLiteral("--"), dataset, model});
        rdt::CommandSpec remoteSpec;
        remoteSpec.argv = {"md5sum", "--", dataset.toUtf8(), model.toUtf8()};
        const CommandRun remoteMd5sum = runCommand(*c.client, remoteSpec, 600000);
        localMd5sum.waitForFinished(-1);
        if (!remoteMd5sum.finished || remoteMd5sum.exitStatus != 0)
            return fail(QStringLiteral("md5sum on the server failed: %1%2").arg(remoteMd5sum.error.message, QString::fromUtf8(remoteMd5sum.err)));
        bothSeconds = timer.nsecsElapsed() / 1e9;
    }

    rdt::ChecksumCache cache(dir.filePath(QStringLiteral("md5-cache.tsv")));
    bool identical = false;
    QString error;
    const double cold = timedCompare(c.client.get(), folder, &cache, &identical, &error);
    if (cold < 0 || !identical)
        return fail(cold < 0 ? error : QStringLiteral("the cold comparison found differences"));
    const double warm = timedCompare(c.client.get(), folder, &cache, &identical, &error);
    if (warm < 0 || !identical)
        return fail(warm < 0 ? error : QStringLiteral("the warm comparison found differences"));

    std::printf("files: %lld MiB + %lld MiB, page cache warm, %d cores\n", static_cast<long long>(datasetMiB),
                static_cast<long long>(modelMiB), QThread::idealThreadCount());
    std::printf("md5sum alone (best of 2): workstation %.2f s, server %.2f s (through the jump host)\n", localSeconds, remoteSeconds);
    std::printf("md5sum on both sides at once (one machine's cores): %.2f s\n", bothSeconds);
    std::printf("cold comparison (both sides at once): %.2f s = %.2fx the slower md5sum alone (target <= 1.15x), "
                "%.2fx both md5sums at once\n",
                cold, cold / slower, cold / bothSeconds);
    std::printf("warm comparison (both caches): %.3f s (target < 1 s)\n", warm);
    return 0;
}
