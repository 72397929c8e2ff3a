// The run dashboard on the real jump topology with the real rdt-trainer (a tiny CPU model):
// a run is launched detached, the dashboard is attached through DashboardController, points
// arrive in the plot's data; the jump host dies, the dashboard says so, reconnects when it
// is back, and the plotted steps then equal metrics.jsonl's with no gap and no duplicate;
// the log panel holds train.log; Stop ends the run and the list shows it stopped; the
// newest checkpoint downloads with matching checksums; a screenshot keeps the real curve.
// The GPU host is a namespace of this machine, so the test reads the run folder locally.
#include "CheckpointPanel.h"
#include "CheckpointTableModel.h"
#include "DashboardController.h"
#include "GpuPanel.h"
#include "LogPanel.h"
#include "MainWindow.h"
#include "RunDashboard.h"
#include "RunHeader.h"
#include "RunLauncher.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "RunPlot.h"
#include "RunSeries.h"
#include "SetupWizard.h"
#include "WizardSession.h"
#include "WorkbenchController.h"
#include "support_files.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QVBoxLayout>
#include <QtTest>

#include <functional>

using namespace rdt;

namespace {

constexpr char kTinyConfig[] = "common: {img_history_size: 2, action_chunk_size: 64, num_cameras: 3, state_dim: 128}\n"
                               "dataset: {tokenizer_max_length: 16}\n"
                               "model:\n  lang_token_dim: 32\n  img_token_dim: 24\n  img_num_patches: 4\n"
                               "  rdt: {hidden_size: 64, depth: 2, num_heads: 4}\n";

QString programPath(const char *variable, const char *builtIn)
{
    const QString fromEnvironment = qEnvironmentVariable(variable);
    return fromEnvironment.isEmpty() ? QString::fromUtf8(builtIn) : fromEnvironment;
}

bool waitUntil(const std::function<bool()> &done, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > ms)
            return false;
        QTest::qWait(50);
    }
    return true;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The step numbers of the complete step lines of a metrics.jsonl.
QList<qint64> stepsInFile(const QString &path)
{
    const QByteArray bytes = readFile(path);
    QList<qint64> steps;
    for (const QByteArray &line : bytes.left(bytes.lastIndexOf('\n') + 1).split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (!object.contains(QLatin1String("event")) && object.contains(QLatin1String("loss")))
            steps.append(qint64(object.value(QLatin1String("step")).toDouble()));
    }
    return steps;
}

QList<qint64> plottedSteps(const RunDashboard &dashboard, const QString &run)
{
    QList<qint64> steps;
    if (const RunSeries *series = dashboard.series(run)) {
        for (double step : series->steps())
            steps.append(qint64(step));
    }
    return steps;
}

QString describe(const QList<qint64> &steps)
{
    return QStringLiteral("%1 steps, first %2, last %3").arg(steps.size()).arg(steps.isEmpty() ? -1 : steps.first())
        .arg(steps.isEmpty() ? -1 : steps.last());
}


RunRowState listedState(RunDashboard &dashboard, const QString &run)
{
    RunListModel *model = dashboard.runList()->model();
    const int row = model->rowOf(run);
    return row < 0 ? RunRowState::Unknown : model->run(row).state;
}

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (QPushButton *button : parent->findChildren<QPushButton *>()) {
        if (button->text() == text)
            return button;
    }
    return nullptr;
}

} // namespace

class DashboardTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_home;
    QString m_root;
    QString m_dataset;
    QString m_config;
    QString m_trainer;

    QStringList trainerFlags() const
    {
        return {QStringLiteral("--config"), m_config, QStringLiteral("--dataset"), m_dataset,
                QStringLiteral("--max_train_steps"), QStringLiteral("100000"), QStringLiteral("--train_batch_size"),
                QStringLiteral("2"), QStringLiteral("--checkpointing_period"), QStringLiteral("10"),
                QStringLiteral("--checkpoints_total_limit"), QStringLiteral("2"), QStringLiteral("--dataloader_num_workers"),
                QStringLiteral("0"), QStringLiteral("--lr_warmup_steps"), QStringLiteral("0"),
                // The tiny model's stand-in encoders, opted into (it has no SigLIP or T5 shapes).
                QStringLiteral("--vision_encoder"), QStringLiteral("patch"), QStringLiteral("--lang"), QStringLiteral("learned")};
    }

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral(".cache")).toUtf8());
        m_root = QDir(m_home.path()).canonicalPath() + QStringLiteral("/root");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/datasets")));
        m_trainer = programPath("RDT_TEST_TRAINER", RDT_TRAINER_BINARY);
        QVERIFY2(QFileInfo(m_trainer).isExecutable(), qPrintable(QStringLiteral("no rdt-trainer at '%1' (build it)").arg(m_trainer)));
        m_dataset = m_root + QStringLiteral("/datasets/libero_dashboard.hdf5");
        const QString dataTool = programPath("RDT_TEST_SANDBOX_DATA", RDT_SANDBOX_DATA_BINARY);
        QProcess data;
        data.setProcessChannelMode(QProcess::MergedChannels);
        data.start(dataTool, {m_dataset, QStringLiteral("--demos"), QStringLiteral("3")});
        QVERIFY2(data.waitForFinished(120000) && data.exitCode() == 0,
                 qPrintable(QStringLiteral("%1: %2").arg(dataTool, QString::fromLocal8Bit(data.readAll()))));
        m_config = m_root + QStringLiteral("/tiny.yaml");
        QFile config(m_config);
        QVERIFY(config.open(QIODevice::WriteOnly) && config.write(kTinyConfig) > 0);
    }

    void followsAStopsAndDownloadsThroughALostJumpHost()
    {
        const QString run = QStringLiteral("dash");
        const QString folder = m_root + QStringLiteral("/runs/") + run;
        const QString metrics = folder + QStringLiteral("/metrics.jsonl");
        Connected connection = connectRoute(m_topo.gpuRoute());
        QVERIFY2(connection.client, qPrintable(connection.error.message));
        SshClient *client = connection.client.get();

        // The run starts as the wizard's launch starts it: detached, before the dashboard.
        RunLauncher launcher(client);
        QSignalSpy launched(&launcher, &RunLauncher::finished);
        LaunchRequest request;
        request.remoteRoot = m_root;
        request.runName = run;
        request.trainer = m_trainer;
        request.trainerArguments = trainerFlags();
        request.startTimeoutSeconds = 120;
        launcher.start(request);
        QVERIFY(launched.wait(150000));
        QVERIFY2(launcher.error().code == ErrorCode::None, qPrintable(launcher.error().message));

        QWidget window;
        auto *status = new QLabel;
        auto *dashboard = new RunDashboard;
        auto *layout = new QVBoxLayout(&window);
        layout->addWidget(status);
        layout->addWidget(dashboard, 1);
        window.resize(1500, 950);
        window.show();
        DashboardController controller(dashboard, status);
        controller.setTrainer(m_trainer);
        controller.attach(client, m_root);
        controller.showRun(run);
        QCOMPARE(dashboard->currentRun(), run);

        // Backfill, then live points, in the plot's own data.
        QVERIFY2(waitUntil([&] { return plottedSteps(*dashboard, run).size() >= 5; }, 60000),
                 qPrintable(describe(plottedSteps(*dashboard, run))));
        QVERIFY2(waitUntil([&] { return listedState(*dashboard, run) == RunRowState::Running; }, 20000), "run list: not running");
        QVERIFY(waitUntil([&] { return !dashboard->logPanel()->text().isEmpty(); }, 20000));
        QVERIFY2(waitUntil([&] { return !dashboard->gpuPanel()->unavailableText().isEmpty(); }, 20000),
                 "a host without nvidia-smi says so");
        QVERIFY2(dashboard->gpuPanel()->unavailableText().contains(QLatin1String("nvidia-smi")),
                 qPrintable(dashboard->gpuPanel()->unavailableText()));

        // The jump host dies with every process: the dashboard reports it and keeps its data.
        QString error;
        QVERIFY2(m_topo.control(QStringLiteral("kill"), QStringLiteral("jump"), &error), qPrintable(error));
        QVERIFY2(waitUntil([&] { return controller.link() == DashboardController::Link::Reconnecting; }, 40000),
                 qPrintable(controller.statusText()));
        QVERIFY2(status->text().contains(QLatin1String("Connection lost")), qPrintable(status->text()));
        const qsizetype beforeLoss = plottedSteps(*dashboard, run).size();
        qInfo("lost with %lld steps plotted: %s", qlonglong(beforeLoss), qPrintable(status->text()));
        QTest::qWait(4000);   // the trainer keeps writing; reconnection attempts fail meanwhile
        QCOMPARE(controller.link(), DashboardController::Link::Reconnecting);
        QVERIFY2(m_topo.control(QStringLiteral("start"), QStringLiteral("jump"), &error), qPrintable(error));

        QVERIFY2(waitUntil([&] { return controller.link() == DashboardController::Link::Attached; }, 60000),
                 qPrintable(controller.statusText()));
        QCOMPARE(controller.reconnections(), 1);
        QVERIFY2(status->text().contains(QLatin1String("Reattached")), qPrintable(status->text()));
        QVERIFY2(waitUntil([&] { return plottedSteps(*dashboard, run).size() >= beforeLoss + 15; }, 60000),
                 qPrintable(describe(plottedSteps(*dashboard, run))));

        // Stop from the run list: SIGINT; the list then reads "stopped".
        dashboard->runList()->selectRun(run);
        QPushButton *stop = buttonNamed(dashboard->runList(), QStringLiteral("Stop"));
        QVERIFY(stop);
        QVERIFY(stop->isEnabled());
        QSignalSpy stopped(&controller, &DashboardController::stopFinished);
        stop->click();
        QVERIFY(stopped.wait(90000));
        const Error stopError = stopped.first().at(1).value<Error>();
        QVERIFY2(stopError.code == ErrorCode::None, qPrintable(stopError.message));
        QVERIFY2(waitUntil([&] { return listedState(*dashboard, run) == RunRowState::Stopped; }, 30000),
                 qPrintable(runStateName(listedState(*dashboard, run))));
        QVERIFY2(dashboard->header()->stateText().contains(QLatin1String("stopped")), qPrintable(dashboard->header()->stateText()));

        // Every step of the file, once, in order: nothing lost or doubled by the reattachment.
        const QList<qint64> fileSteps = stepsInFile(metrics);
        QVERIFY2(waitUntil([&] { return plottedSteps(*dashboard, run) == stepsInFile(metrics); }, 20000),
                 qPrintable(QStringLiteral("plotted %1; file %2").arg(describe(plottedSteps(*dashboard, run)), describe(stepsInFile(metrics)))));
        const QList<qint64> plotted = plottedSteps(*dashboard, run);
        for (qsizetype i = 0; i < plotted.size(); ++i)
            QCOMPARE(plotted[i], qint64(i + 1));
        // The series drops points when a step comes again (a resumed run), which would hide a
        // follow that read the file from its start again: none may have come twice.
        QCOMPARE(dashboard->series(run)->rewinds(), 0);
        qInfo("after reattaching and stopping: %s, the same as metrics.jsonl", qPrintable(describe(plotted)));

        // The log panel holds train.log's lines, each once (the file is far below 1 MiB).
        const QByteArray log = readFile(folder + QStringLiteral("/train.log"));
        const QString fileLines = QString::fromUtf8(log.left(log.lastIndexOf('\n')));
        QVERIFY2(waitUntil([&] { return dashboard->logPanel()->text() == fileLines; }, 20000),
                 qPrintable(QStringLiteral("log panel: %1 chars; train.log: %2 chars")
                                .arg(dashboard->logPanel()->text().size()).arg(fileLines.size())));

        // The newest checkpoint, the one the trainer wrote as it stopped, is listed with its
        // size and downloads with matching checksums.
        CheckpointTableModel *checkpoints = dashboard->checkpoints()->model();
        const qint64 stoppedAt = stepsInFile(metrics).last();
        int newest = -1;
        QVERIFY2(waitUntil([&] {
            newest = -1;
            for (int row = 0; row < checkpoints->rowCount(); ++row) {
                if (checkpoints->checkpoint(row).sizeBytes > 0
                    && (newest < 0 || checkpoints->checkpoint(row).step > checkpoints->checkpoint(newest).step))
                    newest = row;
            }
            return newest >= 0 && checkpoints->checkpoint(newest).step == stoppedAt;
        }, 30000), qPrintable(QStringLiteral("no checkpoint-%1 listed with its size").arg(stoppedAt)));
        const CheckpointRow checkpoint = checkpoints->checkpoint(newest);
        const QString downloads = m_home.filePath(QStringLiteral("downloads"));
        controller.setDownloadFolderChooser([&](const QString &) { return downloads; });
        QSignalSpy downloaded(&controller, &DashboardController::downloadFinished);
        Q_EMIT dashboard->downloadCheckpointRequested(run, checkpoint);
        QVERIFY(downloaded.wait(120000));
        const Error downloadError = downloaded.first().at(2).value<Error>();
        QVERIFY2(downloadError.code == ErrorCode::None, qPrintable(downloadError.message));
        const QString local = downloaded.first().at(1).toString();
        QCOMPARE(local, downloads + QStringLiteral("/dash/") + checkpoint.path);
        const QMap<QString, QByteArray> remoteDigests = md5Tree(folder + QLatin1Char('/') + checkpoint.path);
        QVERIFY(remoteDigests.contains(QStringLiteral("model.safetensors")));
        QCOMPARE(md5Tree(local), remoteDigests);

        QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
        const QString shot = QStringLiteral(RDT_SCREENSHOT_DIR "/dashboard-live-run.png");
        QVERIFY2(window.grab().save(shot), qPrintable(shot));
        qInfo("screenshot: %s", qPrintable(shot));
        // Issue 16's figure: what a followed run, its log, the GPU monitor, the lists and a
        // download take of the connection's channels (OpenSSH allows 10 by default).
        const rdt::ChannelStats channels = controller.client()->channelStats();
        qInfo("dashboard connection: at most %d channels open at once, %d commands waiting at most (budget %d)",
              channels.peakOpen, channels.peakWaiting, channels.limit);
        QVERIFY2(channels.peakOpen <= rdt::kDefaultChannelBudget, qPrintable(QString::number(channels.peakOpen)));
        controller.detach();
    }

    // The wizard's hand-over: the main window switches to its Runs view with the run
    // selected, followed over the wizard's connection (the run above, now stopped).
    void handOverShowsTheRunInTheRunsView()
    {
        const QString run = QStringLiteral("dash");
        const QString metrics = m_root + QStringLiteral("/runs/dash/metrics.jsonl");
        QVERIFY2(QFileInfo::exists(metrics), "needs the run of the test before");
        MainWindow window;
        WorkbenchController workbench(&window);
        window.show();
        SetupWizard *wizard = window.setupWizard();
        QSignalSpy connected(wizard->session(), &WizardSession::connected);
        wizard->session()->connectTo(m_topo.gpuRoute());
        QVERIFY2(connected.wait(30000), "the wizard's session did not connect");
        QVERIFY(window.isShowingWizard());

        LaunchedRun launched;
        launched.name = run;
        launched.remoteRoot = m_root;
        launched.runFolder = m_root + QStringLiteral("/runs/dash");
        Q_EMIT wizard->runStarted(launched);
        QVERIFY(window.runDashboard()->isVisible());
        QCOMPARE(window.runDashboard()->currentRun(), run);
        QCOMPARE(workbench.dashboard()->client(), wizard->session()->client());
        QVERIFY2(waitUntil([&] { return plottedSteps(*window.runDashboard(), run) == stepsInFile(metrics); }, 30000),
                 qPrintable(describe(plottedSteps(*window.runDashboard(), run))));
        QVERIFY2(waitUntil([&] { return listedState(*window.runDashboard(), run) == RunRowState::Stopped; }, 20000),
                 qPrintable(runStateName(listedState(*window.runDashboard(), run))));
        QVERIFY2(window.runsStatusLine()->text().contains(m_root), qPrintable(window.runsStatusLine()->text()));

        // A run started by hand shows up in the list; overlaying it backfills its curve.
        const QString byHand = m_root + QStringLiteral("/runs/by-hand");
        QVERIFY(QDir().mkpath(byHand));
        QFile file(byHand + QStringLiteral("/metrics.jsonl"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"event\":\"start\",\"version\":\"x\",\"world_size\":1,\"step\":0,\"time\":1700000000}\n"
                   "{\"step\":1,\"loss\":0.9,\"time\":1700000001}\n{\"step\":2,\"loss\":0.8,\"time\":1700000002}\n"
                   "{\"step\":3,\"loss\":0.7,\"time\":1700000003}\n{\"event\":\"done\",\"step\":3,\"time\":1700000004}\n");
        file.close();
        QVERIFY(QDir().mkpath(byHand + QStringLiteral("/checkpoint-2")));
        RunDashboard *dashboard = window.runDashboard();
        QVERIFY2(waitUntil([&] { return listedState(*dashboard, QStringLiteral("by-hand")) == RunRowState::Finished; }, 20000),
                 "a run folder made by hand is listed");
        QVERIFY(plottedSteps(*dashboard, QStringLiteral("by-hand")).isEmpty());   // not followed until asked
        dashboard->setOverlay(QStringLiteral("by-hand"), true);
        QVERIFY2(waitUntil([&] { return plottedSteps(*dashboard, QStringLiteral("by-hand")) == QList<qint64>{1, 2, 3}; }, 20000),
                 qPrintable(describe(plottedSteps(*dashboard, QStringLiteral("by-hand")))));
        QCOMPARE(dashboard->currentRun(), run);
        // An overlaid run's checkpoints are listed too: their marks are on the plot.
        QVERIFY2(waitUntil([&] { return dashboard->plot()->toolTipText(3).contains(QStringLiteral("last checkpoint: checkpoint-2")); },
                           20000),
                 qPrintable(dashboard->plot()->toolTipText(3)));

        // The wizard lets go of the connection (the user edits its form): the connection is
        // the application's, so it stays up and the dashboard goes on over it, unbroken.
        DashboardController *controller = workbench.dashboard();
        SshClient *shared = controller->client();
        wizard->session()->disconnectFromHost();
        QVERIFY(!wizard->session()->isConnected());
        QTest::qWait(1000);
        QCOMPARE(controller->link(), DashboardController::Link::Attached);
        QCOMPARE(controller->client(), shared);
        QCOMPARE(controller->reconnections(), 0);
        QVERIFY2(waitUntil([&] { return listedState(*dashboard, run) == RunRowState::Stopped; }, 20000), "listing again");
    }
};

QTEST_MAIN(DashboardTest)
#include "sshd_gui_dashboard.moc"
