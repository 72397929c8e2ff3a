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

#include "ComparisonTableModel.h"
#include "DataModelPage.h"
#include "ServerCheckPage.h"
#include "SetupWizard.h"
#include "WizardSession.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include "bench_files.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <cstdio>

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_wizard_check: %s\n", qPrintable(message));
    return 1;
}

// Sleeps in the event loop between looks (qWaitFor), so the wait itself takes no CPU from
// what it measures.
bool waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);   // each figure as soon as it is known
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
    if (!writeRandomFile(localDataset, 64 << 20, 64)
        || !writeRandomFile(localModel + QStringLiteral("/model.safetensors"), 32 << 20, 32)
        || !QFile::copy(localDataset, root + QStringLiteral("/datasets/libero.hdf5"))
        || !QFile::copy(localModel + QStringLiteral("/model.safetensors"), root + QStringLiteral("/checkpoints/model/model.safetensors")))
        return fail(QStringLiteral("cannot write the test files under %1").arg(root));

    rdt::SetupWizard wizard(nullptr);
    rdt::WizardSession *session = wizard.session();
    rdt::HostProfile profile;
    profile.name = QStringLiteral("bench");
    profile.host = QStringLiteral("gpu");
    profile.remoteRoot = root;
    profile.localDatasetPath = localDataset;
    profile.localModelPath = localModel;
    wizard.useProfile(profile, topo->sshConfigFile());   // the form too: "Next" reads it back
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
    if (!writeRandomFile(bigDataset, uploadMib << 20, quint32(uploadMib)))
        return fail(QStringLiteral("cannot write %1 MiB to %2").arg(uploadMib).arg(bigDataset));
    profile.localDatasetPath = bigDataset;
    profile.localModelPath.clear();
    wizard.restart();
    wizard.useProfile(profile, topo->sshConfigFile());
    session->connectTo(topo->gpuRoute());   // useProfile starts over from the connection
    connected.clear();
    if (!waitFor([&] { return connected.count() > 0; }, 30000))
        return fail(QStringLiteral("no connection to the topology's gpu host"));
    wizard.next();   // the check page again
    waitFor([&] { return check->isComplete(); }, 120000);
    wizard.next();   // the data page compares at once
    if (wizard.currentId() != rdt::SetupWizard::DataModelPageId)
        return fail(QStringLiteral("the wizard did not reach the data page"));
    rdt::DataModelPage *data = wizard.dataModelPage();
    std::printf("comparing the %lld MiB dataset…\n", uploadMib);
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
    sinceTick.start();
    ticker.start(5);
    data->upload();
    waitFor([&] { return !uploaded.isEmpty(); }, 600000);
    ticker.stop();
    if (uploaded.isEmpty() || !uploaded.first().first().toBool())
        return fail(QStringLiteral("the upload of %1 MiB did not succeed").arg(uploadMib));
    if (QFileInfo(root + QStringLiteral("/datasets/big.hdf5")).size() != uploadMib << 20) {
        for (int row = 0; row < data->model()->rowCount(); ++row)
            std::fprintf(stderr, "  %s: %s\n", qPrintable(data->model()->index(row, 0).data().toString()),
                         qPrintable(data->model()->index(row, 5).data().toString()));
        return fail(QStringLiteral("the upload reported success, but %1/datasets/big.hdf5 is not there whole").arg(root));
    }
    const double uploadSeconds = uploadTimer.nsecsElapsed() / 1e9;
    std::printf("upload of %lld MiB through the data page: %.1f s (%.0f MiB/s); longest GUI-thread stall %lld ms "
                "(5 ms timer; target < 50 ms)\n",
                uploadMib, uploadSeconds, double(uploadMib) / uploadSeconds, longestStallMs);
    return 0;
}
