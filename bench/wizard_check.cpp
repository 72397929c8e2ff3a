// Benchmark: the setup wizard's own pages on the test topology (issue 5).
//   check: the server check page (probe, dataset and model against the local copies, free
//          disk) with warm caches, from "Check again" to the finished checklist; median of
//          5 after one warm-up run. Target: under 2 s. The reference printed beside it is one
//          `ssh -F ssh_config gpu true` through the jump host, OpenSSH's own round trip.
//   stall: the longest the GUI thread went without running a 5 ms timer while the data page
//          uploaded a 1 GB dataset (MiB as an argument). Target: under 50 ms.
// The GPU host shares this machine's file system, so the remote root is a local folder.
//   tests/sshd/topology run build/bench/bench_wizard_check [UPLOAD_MIB=1024]
// RDT_BENCH_TRAINER=PATH puts a real rdt-trainer into the remote root (its `info` is part of
// the check on a real server; without it the trainer item fails fast).
#include "support_topology.h"

#include "DataModelPage.h"
#include "ServerCheckPage.h"
#include "SetupWizard.h"
#include "WizardSession.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_wizard_check: %s\n", qPrintable(message));
    return 1;
}

bool writeRandomFile(const QString &path, qint64 mib)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    QByteArray block(1 << 20, Qt::Uninitialized);
    QRandomGenerator generator{quint32(mib)};
    for (qint64 i = 0; i < mib; ++i) {
        generator.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        if (file.write(block) != block.size())
            return false;
    }
    return true;
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 uploadMib = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1024;
    const std::optional<Topology> topo = Topology::fromEnvironment();
    if (!topo)
        return fail(QStringLiteral("run through `tests/sshd/topology run`"));
    QTemporaryDir home;
    qputenv("XDG_CACHE_HOME", home.filePath(QStringLiteral("cache")).toUtf8());

    // The remote root with its folders, and copies on the "server" equal to the local ones.
    const QString root = home.filePath(QStringLiteral("remote"));
    for (const char *folder : {"datasets", "checkpoints/model", "configs", "runs", "bin", "local/model"})
        QDir(root).mkpath(QString::fromLatin1(folder));
    const QString trainer = qEnvironmentVariable("RDT_BENCH_TRAINER");
    if (!trainer.isEmpty())
        QFile::link(trainer, root + QStringLiteral("/bin/rdt-trainer"));
    const QString localDataset = root + QStringLiteral("/local/libero.hdf5");
    const QString localModel = root + QStringLiteral("/local/model");
    if (!writeRandomFile(localDataset, 64) || !writeRandomFile(localModel + QStringLiteral("/model.safetensors"), 32)
        || !QFile::copy(localDataset, root + QStringLiteral("/datasets/libero.hdf5"))
        || !QFile::copy(localModel + QStringLiteral("/model.safetensors"), root + QStringLiteral("/checkpoints/model/model.safetensors")))
        return fail(QStringLiteral("cannot write the test files under %1").arg(root));

    rdt::SetupWizard wizard(nullptr);
    rdt::WizardSession *session = wizard.session();
    session->profile.host = QStringLiteral("gpu");
    session->profile.remoteRoot = root;
    session->profile.localDatasetPath = localDataset;
    session->profile.localModelPath = localModel;
    QSignalSpy connected(session, &rdt::WizardSession::connected);
    session->connectTo(topo->gpuRoute());
    if (!waitFor([&] { return connected.count() > 0; }, 30000))
        return fail(QStringLiteral("no connection to the topology's gpu host"));

    // check
    rdt::ServerCheckPage *check = wizard.serverCheckPage();
    std::vector<double> seconds;
    for (int round = 0; round < 6; ++round) {
        QElapsedTimer timer;
        timer.start();
        check->checkAgain();
        if (!waitFor([&] { return check->isComplete(); }, 120000))
            return fail(QStringLiteral("the check did not finish"));
        if (round > 0)   // the first fills the local and the server's checksum caches
            seconds.push_back(timer.nsecsElapsed() / 1e9);
    }
    QElapsedTimer sshTimer;
    sshTimer.start();
    const int sshStatus = QProcess::execute(QStringLiteral("ssh"), {QStringLiteral("-F"), topo->sshConfigFile(), QStringLiteral("gpu"),
                                                                   QStringLiteral("true")});
    const double sshSeconds = sshTimer.nsecsElapsed() / 1e9;
    std::printf("check page, warm caches: median %.3f s of %zu (target < 2 s)%s; ssh -J gpu true: %.3f s (exit %d)\n",
                median(seconds), seconds.size(), trainer.isEmpty() ? " [no trainer: RDT_BENCH_TRAINER unset]" : "",
                sshSeconds, sshStatus);

    // stall
    if (uploadMib <= 0)
        return 0;
    const QString bigDataset = root + QStringLiteral("/local/big.hdf5");
    if (!writeRandomFile(bigDataset, uploadMib))
        return fail(QStringLiteral("cannot write %1 MiB to %2").arg(uploadMib).arg(bigDataset));
    session->profile.localDatasetPath = bigDataset;
    session->profile.localModelPath.clear();
    wizard.restart();
    wizard.next();   // the check page again
    waitFor([&] { return check->isComplete(); }, 120000);
    wizard.next();   // the data page compares at once
    rdt::DataModelPage *data = wizard.dataModelPage();
    if (!waitFor([&] { return !data->isBusy(); }, 300000))
        return fail(QStringLiteral("the comparison did not finish"));

    QElapsedTimer sinceTick;
    qint64 longestStallMs = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        longestStallMs = std::max(longestStallMs, sinceTick.restart());
    });
    QSignalSpy uploaded(data, &rdt::DataModelPage::uploadFinished);
    QElapsedTimer uploadTimer;
    uploadTimer.start();
    data->upload();
    sinceTick.start();
    ticker.start(5);
    QEventLoop loop;
    QObject::connect(data, &rdt::DataModelPage::uploadFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(600000, &loop, &QEventLoop::quit);
    loop.exec();
    ticker.stop();
    if (uploaded.isEmpty() || !uploaded.first().first().toBool())
        return fail(QStringLiteral("the upload of %1 MiB did not succeed").arg(uploadMib));
    const double uploadSeconds = uploadTimer.nsecsElapsed() / 1e9;
    std::printf("upload of %lld MiB through the data page: %.1f s (%.0f MiB/s); longest GUI-thread stall %lld ms "
                "(5 ms timer; target < 50 ms)\n",
                uploadMib, uploadSeconds, double(uploadMib) / uploadSeconds, longestStallMs);
    return 0;
}
