// One connection per server, shared by every view, against the real jump topology and the
// real trainer (a tiny CPU model): the wizard connects once and the Server view, the run
// dashboard and the status bar show that same connection; a run launched over it keeps
// going when the window closes; a new window on the same settings connects again to the
// last server, reselects the run and backfills its curve; the jump host dies and every
// view goes to "reconnecting" and comes back together on the one new connection; "Open
// log" shows train.log; a run made current before the connection is up is followed once
// it is (its log and curve were left empty before).
#include "ConnectionOwner.h"
#include "ConnectionPage.h"
#include "ConnectionPanel.h"
#include "DashboardController.h"
#include "HostConnection.h"
#include "LogPanel.h"
#include "MainWindow.h"
#include "QuitGuard.h"
#include "RunDashboard.h"
#include "RunLauncher.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "RunSeries.h"
#include "SetupWizard.h"
#include "SshClient.h"
#include "WizardSession.h"
#include "WorkbenchController.h"
#include "support_topology.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

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

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (QPushButton *button : parent->findChildren<QPushButton *>())
        if (button->text() == text)
            return button;
    return nullptr;
}

int lineCount(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? int(file.readAll().count('\n')) : 0;
}

RunRowState listedState(RunDashboard *dashboard, const QString &run)
{
    const RunListModel *model = dashboard->runList()->model();
    const int row = model->rowOf(run);
    return row < 0 ? RunRowState::Unknown : model->run(row).state;
}

int plotted(RunDashboard *dashboard, const QString &run)
{
    const RunSeries *series = dashboard->series(run);
    return series ? int(series->size()) : 0;
}

// Empty when the wizard, the Server view, the dashboard and the status bar all show the one
// connection in `expected`; else what disagrees.
QString disagreement(MainWindow &window, WorkbenchController &controller, HostConnection::State expected,
                     bool checkStatusBar = true)
{
    QStringList found;
    HostConnection *host = controller.connections()->current();
    if (!host)
        return QStringLiteral("no current connection");
    if (controller.connections()->connections().size() != 1)
        found << QStringLiteral("%1 connections, not one").arg(controller.connections()->connections().size());
    if (host->state() != expected)
        found << QStringLiteral("state %1: %2").arg(int(host->state())).arg(host->statusText());
    WizardSession *session = window.setupWizard()->session();
    DashboardController *dashboard = controller.dashboard();
    if (session->host() != host)
        found << QStringLiteral("the wizard uses another connection");
    if (controller.serverViewConnection() != host)
        found << QStringLiteral("the Server view shows another connection");
    if (dashboard->host() != host)
        found << QStringLiteral("the dashboard follows another connection");
    if (checkStatusBar && window.statusBar()->currentMessage() != host->statusText())
        found << QStringLiteral("status bar '%1' vs '%2'").arg(window.statusBar()->currentMessage(), host->statusText());
    QPushButton *check = buttonNamed(window.connectionPanel(), QStringLiteral("Check server"));
    const bool up = expected == HostConnection::State::Connected;
    if (!check || check->isEnabled() != up)
        found << QStringLiteral("the Server view's Check is %1").arg(check && check->isEnabled() ? "on" : "off");
    if (up) {
        if (!host->client() || session->client() != host->client() || dashboard->client() != host->client())
            found << QStringLiteral("clients differ");
        if (dashboard->link() != DashboardController::Link::Attached)
            found << QStringLiteral("dashboard: %1").arg(dashboard->statusText());
    } else {
        if (session->isConnected())
            found << QStringLiteral("the wizard says connected");
        if (dashboard->link() == DashboardController::Link::Attached || dashboard->client())
            found << QStringLiteral("the dashboard says attached: %1").arg(dashboard->statusText());
    }
    return found.join(QStringLiteral("; "));
}

} // namespace

class OneConnectionTest : public QObject {
    Q_OBJECT

    Topology m_topo = Topology();
    QTemporaryDir m_home;
    QString m_root;
    QString m_dataset;
    QString m_config;
    QString m_trainer;

    void connectWizard(MainWindow &window)
    {
        HostProfile profile;
        profile.name = QStringLiteral("topology");
        profile.host = QStringLiteral("gpu");
        profile.remoteRoot = m_root;
        window.setupWizard()->useProfile(profile, m_topo.sshConfigFile());
        window.setupWizard()->connectionPage()->testConnection();
    }

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("config")));
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("config")));
        m_root = QDir(m_home.path()).canonicalPath() + QStringLiteral("/root");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/datasets")));
        m_trainer = programPath("RDT_TEST_TRAINER", RDT_TRAINER_BINARY);
        QVERIFY2(QFileInfo(m_trainer).isExecutable(), qPrintable(QStringLiteral("no rdt-trainer at '%1'").arg(m_trainer)));
        m_dataset = m_root + QStringLiteral("/datasets/libero_one.hdf5");
        const QString dataTool = programPath("RDT_TEST_SANDBOX_DATA", RDT_SANDBOX_DATA_BINARY);
        QProcess data;
        data.setProcessChannelMode(QProcess::MergedChannels);
        data.start(dataTool, {m_dataset, QStringLiteral("--demos"), QStringLiteral("3")});
        QVERIFY2(data.waitForFinished(120000) && data.exitCode() == 0, qPrintable(QString::fromLocal8Bit(data.readAll())));
        m_config = m_root + QStringLiteral("/tiny.yaml");
        QFile config(m_config);
        QVERIFY(config.open(QIODevice::WriteOnly) && config.write(kTinyConfig) > 0);
    }

    void connectOnceRestartAndReconnectTogether()
    {
        const QString run = QStringLiteral("shared");
        const QString folder = m_root + QStringLiteral("/runs/") + run;
        int linesAtQuit = 0;
        {
            MainWindow window;
            WorkbenchController controller(&window);
            window.resize(1280, 720);
            window.show();
            int quitQuestions = 0;
            controller.quitGuard()->setChooser([&](const QuitGuard::Situation &situation) {
                ++quitQuestions;
                [&] { QVERIFY(situation.runningRuns.contains(run)); }();
                return QuitGuard::Choice::QuitKeepingRuns;
            });

            // Connected once, in the wizard: every view shows that connection.
            connectWizard(window);
            QTRY_VERIFY_WITH_TIMEOUT(window.setupWizard()->connectionPage()->isComplete(), 60000);
            QTRY_VERIFY2_WITH_TIMEOUT(disagreement(window, controller, HostConnection::State::Connected).isEmpty(),
                                      qPrintable(disagreement(window, controller, HostConnection::State::Connected)), 30000);
            // The Server view's own Connect (same host) shares it instead of opening another.
            controller.connectToServer();
            QVERIFY2(disagreement(window, controller, HostConnection::State::Connected).isEmpty(),
                     qPrintable(disagreement(window, controller, HostConnection::State::Connected)));

            // A run of the real trainer, launched over that connection and handed over.
            WizardSession *session = window.setupWizard()->session();
            RunLauncher launcher(session->client());
            QSignalSpy launched(&launcher, &RunLauncher::finished);
            LaunchRequest request;
            request.remoteRoot = m_root;
            request.runName = run;
            request.trainer = m_trainer;
            request.trainerArguments = {QStringLiteral("--config"), m_config, QStringLiteral("--dataset"), m_dataset,
                                        QStringLiteral("--max_train_steps"), QStringLiteral("100000"),
                                        QStringLiteral("--train_batch_size"), QStringLiteral("2"),
                                        QStringLiteral("--checkpointing_period"), QStringLiteral("1000"),
                                        QStringLiteral("--dataloader_num_workers"), QStringLiteral("0"),
                                        QStringLiteral("--lr_warmup_steps"), QStringLiteral("0"),
                                        QStringLiteral("--vision_encoder"), QStringLiteral("patch"),
                                        QStringLiteral("--lang"), QStringLiteral("learned")};
            request.environment.append(QPair<QByteArray, QByteArray>("OMP_NUM_THREADS", "1"));
            request.startTimeoutSeconds = 150;
            launcher.start(request);
            QVERIFY(launched.wait(180000));
            QVERIFY2(launcher.error().code == ErrorCode::None, qPrintable(launcher.error().message));
            LaunchedRun handOver;
            handOver.name = run;
            handOver.remoteRoot = m_root;
            handOver.runFolder = folder;
            Q_EMIT window.setupWizard()->runStarted(handOver);
            RunDashboard *dashboard = window.runDashboard();
            QCOMPARE(dashboard->currentRun(), run);
            QCOMPARE(controller.dashboard()->client(), session->client());
            QTRY_VERIFY_WITH_TIMEOUT(listedState(dashboard, run) == RunRowState::Running && plotted(dashboard, run) >= 3, 90000);

            // Close with the run going: asked once, the run keeps going.
            window.close();
            QCOMPARE(quitQuestions, 1);
            QVERIFY(!window.isVisible());
            linesAtQuit = lineCount(folder + QStringLiteral("/metrics.jsonl"));
        }
        QTRY_VERIFY_WITH_TIMEOUT(lineCount(folder + QStringLiteral("/metrics.jsonl")) > linesAtQuit + 2, 60000);

        // A new window on the same settings: the last server, the run reselected, its curve backfilled.
        MainWindow window;
        WorkbenchController controller(&window);
        window.resize(1280, 720);
        window.show();
        controller.quitGuard()->setChooser([](const QuitGuard::Situation &) { return QuitGuard::Choice::QuitKeepingRuns; });
        controller.restoreLastConnection();
        QTRY_VERIFY2_WITH_TIMEOUT(disagreement(window, controller, HostConnection::State::Connected).isEmpty(),
                                  qPrintable(disagreement(window, controller, HostConnection::State::Connected)), 60000);
        RunDashboard *dashboard = window.runDashboard();
        QTRY_COMPARE_WITH_TIMEOUT(dashboard->currentRun(), run, 60000);
        QCOMPARE(dashboard->runList()->selectedRun(), run);
        QTRY_VERIFY2_WITH_TIMEOUT(plotted(dashboard, run) >= linesAtQuit - 1,
                                  qPrintable(QStringLiteral("%1 points, %2 lines at quit").arg(plotted(dashboard, run)).arg(linesAtQuit)),
                                  60000);   // the start line is not a point
        window.showRuns();

        // The reselected run's log is followed without asking (the log tail is one of the views).
        QTRY_VERIFY_WITH_TIMEOUT(!dashboard->logPanel()->text().isEmpty(), 30000);
        // "Open log" from the Eval tab: the Training tab, with train.log's lines.
        dashboard->tabs()->setCurrentIndex(1);
        QPushButton *openLog = buttonNamed(dashboard->runList(), QStringLiteral("Open log"));
        QVERIFY(openLog && openLog->isEnabled());
        openLog->click();
        QCOMPARE(dashboard->tabs()->currentIndex(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!dashboard->logPanel()->text().isEmpty(), 30000);
        QFile log(folder + QStringLiteral("/train.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QString firstShown = dashboard->logPanel()->text().section(QLatin1Char('\n'), 0, 0);
        QVERIFY2(QString::fromUtf8(log.readAll()).contains(firstShown), qPrintable(firstShown));

        // The jump host dies: every view goes to reconnecting, together, and nothing is attached.
        HostConnection *host = controller.connections()->current();
        QString error;
        QVERIFY2(m_topo.control(QStringLiteral("kill"), QStringLiteral("jump"), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(disagreement(window, controller, HostConnection::State::Reconnecting).isEmpty(),
                                  qPrintable(disagreement(window, controller, HostConnection::State::Reconnecting)), 60000);
        QVERIFY2(window.statusBar()->currentMessage().contains(QLatin1String("reconnecting")),
                 qPrintable(window.statusBar()->currentMessage()));
        const int pointsAtLoss = plotted(dashboard, run);
        QVERIFY2(m_topo.control(QStringLiteral("start"), QStringLiteral("jump"), &error), qPrintable(error));
        // ... and back together, on one new connection.
        QTRY_VERIFY2_WITH_TIMEOUT(disagreement(window, controller, HostConnection::State::Connected).isEmpty(),
                                  qPrintable(disagreement(window, controller, HostConnection::State::Connected)), 90000);
        QCOMPARE(controller.connections()->current(), host);
        QCOMPARE(host->reconnections(), 1);
        QCOMPARE(controller.dashboard()->reconnections(), 1);
        QVERIFY2(window.statusBar()->currentMessage().contains(QLatin1String("again")), qPrintable(window.statusBar()->currentMessage()));
        QTRY_VERIFY_WITH_TIMEOUT(plotted(dashboard, run) > pointsAtLoss + 2, 60000);
        qInfo("%d points plotted at the loss, %d now; %d lines in metrics.jsonl at the first quit; status: %s",
              pointsAtLoss, plotted(dashboard, run), linesAtQuit, qPrintable(window.statusBar()->currentMessage()));
        QCOMPARE(dashboard->series(run)->rewinds(), 0);   // followed on, not read again

        QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
        QVERIFY(window.grab().save(QStringLiteral(RDT_SCREENSHOT_DIR "/one-connection-1280x720.png")));
        // A 1280-wide laptop screen holds the window with a live run's header and status.
        QStringList widest;
        for (QWidget *widget : window.findChildren<QWidget *>())
            if (widget->minimumSizeHint().width() > 900)
                widest << QStringLiteral("%1 %2: %3").arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName())
                              .arg(widget->minimumSizeHint().width());
        QVERIFY2(window.width() <= 1280, qPrintable(QStringLiteral("%1 px wide; %2").arg(window.width()).arg(widest.join(QStringLiteral(", ")))));
        dashboard->tabs()->setCurrentIndex(1);   // the Eval tab scrolls rather than widening the window
        QTest::qWait(100);
        QVERIFY(window.grab().save(QStringLiteral(RDT_SCREENSHOT_DIR "/one-connection-1280x720-eval.png")));
        dashboard->tabs()->setCurrentIndex(0);
        window.resize(1600, 1000);
        QTest::qWait(300);
        QVERIFY(window.grab().save(QStringLiteral(RDT_SCREENSHOT_DIR "/one-connection-1600x1000.png")));

        // A run made current while there is no connection is followed once there is one
        // (its log and curve stayed empty before: nothing followed it).
        QWidget other;
        auto *otherDashboard = new RunDashboard(&other);
        DashboardController late(otherDashboard);
        late.showRun(run);
        late.attach(host, m_root);
        QTRY_VERIFY_WITH_TIMEOUT(!otherDashboard->logPanel()->text().isEmpty() && plotted(otherDashboard, run) > linesAtQuit, 60000);
        late.detach();

        // Stop the run so nothing outlives the test.
        window.showRuns();
        QSettings().setValue(QStringLiteral("dashboard/askBeforeStop"), false);
        QSignalSpy stopped(controller.dashboard(), &DashboardController::stopFinished);
        Q_EMIT dashboard->stopRequested(run);
        QVERIFY(stopped.wait(90000));
        QVERIFY2(stopped.first().at(1).value<Error>().code == ErrorCode::None, qPrintable(stopped.first().at(1).value<Error>().message));
        window.close();
    }
};

QTEST_MAIN(OneConnectionTest)
#include "sshd_gui_one_connection.moc"
