// Benchmark: upload and download of a 1 GB file through the jump host with FileTransfer
// (verified by MD5 on both sides, resumable) against OpenSSH `scp -J` on the same topology
// in the same run, scp with its defaults and with aes128-gcm on both hops. Each round runs
// every contender once, interleaved (rdt, scp, scp aes128-gcm; upload, then download), and
// the best time of each over the rounds is compared: the machine is shared, and a
// neighbour's burst should neither flatter nor sink one side.
//   tests/sshd/topology run build/bench/bench_transfer_throughput [MB=1000] [ROUNDS=2] [--rdt-only]
// --rdt-only skips scp (for profiling our side alone); it prints no ratios.
#include "bench_files.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include "FileTransfer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

namespace {

double transferSeconds(rdt::SshClient &client, bool upload, const QString &from, const QString &to, QString *error)
{
    rdt::FileTransfer transfer(&client);
    QElapsedTimer timer;
    timer.start();
    QSignalSpy done(&transfer, &rdt::FileTransfer::finished);
    if (upload)
        transfer.upload(from, to);
    else
        transfer.download(from, to);
    if (transfer.isRunning())
        done.wait(600000);
    if (transfer.error().code != rdt::ErrorCode::None)
        *error = transfer.error().message;
    return timer.nsecsElapsed() / 1e9;
}

// scp through the topology's ssh_config (ProxyJump jump); options go into a copy of the
// config so that the jump hop gets them too.
double scpSeconds(const Topology &topo, const QStringList &options, const QString &from, const QString &to)
{
    QString config = topo.sshConfigFile();
    if (!options.isEmpty()) {
        config = topo.dir() + QStringLiteral("/ssh_config.scp-bench");
        QFile original(topo.sshConfigFile());
        QFile copy(config);
        if (!original.open(QIODevice::ReadOnly) || !copy.open(QIODevice::WriteOnly))
            return -1;
        for (const QString &option : options)
            copy.write(option.toUtf8() + '\n');
        copy.write(original.readAll());
    }
    QProcess scp;
    QElapsedTimer timer;
    timer.start();
    scp.start(QStringLiteral("scp"), {QStringLiteral("-q"), QStringLiteral("-F"), config, from, to});
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
    qint64 megabytes = 1000;
    int rounds = 2;
    bool rdtOnly = false;
    int numbers = 0;
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == "--rdt-only")
            rdtOnly = true;
        else if (numbers++ == 0)
            megabytes = argument.toLongLong();
        else
            rounds = qMax(1, argument.toInt());
    }
    const std::optional<Topology> topo = Topology::fromEnvironment();
    if (!topo) {
        std::fprintf(stderr, "run me as: tests/sshd/topology run %s\n", argv[0]);
        return 1;
    }
    QTemporaryDir local(QDir::tempPath() + QStringLiteral("/rdt-bench-XXXXXX"));
    QTemporaryDir remote(QDir::tempPath() + QStringLiteral("/rdt-bench-remote-XXXXXX"));
    const QString source = local.filePath(QStringLiteral("data.bin"));
    if (!writeRandomFile(source, megabytes << 20, 1)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(source));
        return 1;
    }

    Connected c = connectRoute(topo->gpuRoute());
    if (!c.client) {
        std::fprintf(stderr, "%s\n", qPrintable(c.error.message));
        return 1;
    }
    struct Best {
        double seconds = 1e9;
        void add(double s) { seconds = s < 0 ? -1 : (seconds < 0 ? seconds : std::min(seconds, s)); }
    };
    Best up, down, scpUp, scpDown, scpUpGcm, scpDownGcm;
    const QString remoteScp = QStringLiteral("gpu:") + remote.filePath(QStringLiteral("scp.bin"));
    const QStringList gcm = {QStringLiteral("Ciphers aes128-gcm@openssh.com")};
    const double mb = double(megabytes) * 1.048576;
    for (int round = 0; round < rounds; ++round) {
        QString error;
        const double rdtUp = transferSeconds(*c.client, true, source, remote.filePath(QStringLiteral("up.bin")), &error);
        if (!rdtOnly) {
            scpUp.add(scpSeconds(*topo, {}, source, remoteScp));
            scpUpGcm.add(scpSeconds(*topo, gcm, source, remoteScp));
        }
        const double rdtDown = transferSeconds(*c.client, false, remote.filePath(QStringLiteral("up.bin")),
                                               local.filePath(QStringLiteral("down.bin")), &error);
        if (!rdtOnly) {
            scpDown.add(scpSeconds(*topo, {}, remoteScp, local.filePath(QStringLiteral("scp-down.bin"))));
            scpDownGcm.add(scpSeconds(*topo, gcm, remoteScp, local.filePath(QStringLiteral("scp-down.bin"))));
        }
        if (!error.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        up.add(rdtUp);
        down.add(rdtDown);
        std::printf("round %d: rdt upload %.2f s (%.0f MB/s), download %.2f s (%.0f MB/s)\n", round + 1, rdtUp, mb / rdtUp,
                    rdtDown, mb / rdtDown);
        std::fflush(stdout);
    }
    if (rdtOnly)
        return 0;
    if (scpUp.seconds < 0 || scpDown.seconds < 0 || scpUpGcm.seconds < 0 || scpDownGcm.seconds < 0)
        return 1;   // scpSeconds() said why

    std::printf("%lld MiB through the jump host, best of %d rounds (rdt: verified by MD5 on both sides)\n", megabytes, rounds);
    std::printf("  upload:   rdt %.2f s (%.0f MB/s)  scp -J %.2f s  scp -J aes128-gcm %.2f s\n", up.seconds,
                mb / up.seconds, scpUp.seconds, scpUpGcm.seconds);
    std::printf("  download: rdt %.2f s (%.0f MB/s)  scp -J %.2f s  scp -J aes128-gcm %.2f s\n", down.seconds,
                mb / down.seconds, scpDown.seconds, scpDownGcm.seconds);
    std::printf("ratio scp -J / rdt: upload %.2fx (aes128-gcm %.2fx), download %.2fx (aes128-gcm %.2fx)\n",
                scpUp.seconds / up.seconds, scpUpGcm.seconds / up.seconds, scpDown.seconds / down.seconds,
                scpDownGcm.seconds / down.seconds);
    return 0;
}
