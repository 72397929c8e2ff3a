// Benchmark: 200 short commands through the jump host on one connection, against 200
// runs of OpenSSH `ssh -J` (bench/ssh_jump_baseline.sh) on the same topology in the same
// run. Also a fresh connection plus one command, which is what each `ssh -J` pays.
//   tests/sshd/topology run build/bench/bench_jump_commands [N=200]
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_jump_commands: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 200;
    const std::optional<Topology> topo = Topology::fromEnvironment();
    if (!topo)
        return fail(QStringLiteral("run me as: tests/sshd/topology run %1").arg(QString::fromLocal8Bit(argv[0])));

    // libssh 0.10 negotiates curve25519-sha256; OpenSSH 9 prefers sntrup761x25519, which
    // costs more per handshake. Measure OpenSSH both ways so the ratio is honest.
    auto baseline = [&](const QStringList &extra) -> double {
        QProcess process;
        process.start(QStringLiteral(RDT_SOURCE_DIR "/bench/ssh_jump_baseline.sh"),
                      QStringList{topo->dir(), QString::number(runs), QStringLiteral("gpu")} + extra);
        process.waitForFinished(-1);
        std::fputs(process.readAllStandardError().constData(), stderr);
        return process.readAllStandardOutput().trimmed().toDouble();
    };

    // One connection, `runs` commands.
    Connected c = connectRoute(topo->gpuRoute());
    if (!c.client)
        return fail(c.error.message);
    std::vector<double> commandMs;
    for (int i = 0; i < runs; ++i) {
        const CommandRun run = runCommand(*c.client, commandOf({"true"}), 10000);
        if (!run.finished || run.exitStatus != 0)
            return fail(QStringLiteral("command %1 failed: %2").arg(i).arg(run.error.message));
        commandMs.push_back(double(run.elapsedMs));
    }
    // Sub-millisecond precision for the per-command figure.
    QElapsedTimer total;
    total.start();
    for (int i = 0; i < runs; ++i)
        runCommand(*c.client, commandOf({"true"}), 10000);
    const double meanCommandMs = double(total.nsecsElapsed()) / 1e6 / runs;
    c.client.reset();

    // A fresh connection through the jump host plus one command, as `ssh -J` does.
    const int connectRuns = std::min(runs, 30);
    std::vector<double> connectMs;
    for (int i = 0; i < connectRuns; ++i) {
        QElapsedTimer timer;
        timer.start();
        Connected fresh = connectRoute(topo->gpuRoute());
        if (!fresh.client)
            return fail(fresh.error.message);
        runCommand(*fresh.client, commandOf({"true"}), 10000);
        connectMs.push_back(double(timer.nsecsElapsed()) / 1e6);
    }

    const double sshDefault = baseline({});
    const double sshCurve = baseline({QStringLiteral("-o"), QStringLiteral("KexAlgorithms=curve25519-sha256")});
    const double rdtCommand = median(commandMs);
    const double rdtConnect = median(connectMs);

    std::printf("commands through the jump host, %d runs each\n", runs);
    std::printf("  rdt, one connection:        median %.2f ms per command (mean %.2f ms)\n", rdtCommand, meanCommandMs);
    std::printf("  rdt, fresh connection + cmd: median %.1f ms (%d runs)\n", rdtConnect, connectRuns);
    std::printf("  ssh -J (OpenSSH defaults):  median %.1f ms\n", sshDefault);
    std::printf("  ssh -J (curve25519 kex):    median %.1f ms\n", sshCurve);
    std::printf("ratio ssh -J / rdt per command (one connection): %.1fx (curve25519: %.1fx)\n",
                sshDefault / meanCommandMs, sshCurve / meanCommandMs);
    std::printf("ratio ssh -J / rdt fresh connection:             %.2fx (curve25519: %.2fx)\n",
                sshDefault / rdtConnect, sshCurve / rdtConnect);
    return 0;
}
