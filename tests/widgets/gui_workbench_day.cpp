// A day at the workbench in the local sandbox, as a user spends it: three runs launched in
// a row (the second and third from the run dashboard's Start…, each under its own name),
// a taken name refused with resume offered, two runs overlaid, a quit with one run still
// training (the window says it keeps going; nothing under the live trainer is deleted),
// and a restart that finds that run running, selected and its curve backfilled. Then the
// quit question's other answer: stop the sandbox's runs, after which the folder goes.
// Screenshots at 1280x720 and 1600x1000 go to build/screenshots.
#include "CheckItem.h"
#include "ComparisonTableModel.h"
#include "ConnectionPage.h"
#include "ConnectionPanel.h"
#include "DashboardController.h"
#include "DataModelPage.h"
#include "LastConnection.h"
#include "LaunchPage.h"
#include "LogPanel.h"
#include "MainWindow.h"
#include "NextRunName.h"
#include "PlotLegend.h"
#include "QuitGuard.h"
#include "RunDashboard.h"
#include "RunHeader.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "RunSeries.h"
#include "Sandbox.h"
#include "SandboxTrainers.h"
#include "CheckListModel.h"
#include "ServerCheckPage.h"
#include "SetupWizard.h"
#include "TakenRunNote.h"
#include "TransferRateEstimate.h"
#include "TrainingConfigPage.h"
#include "WizardSession.h"
#include "WorkbenchController.h"

#include <QDir>
#include <QFile>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (QPushButton *button : parent->findChildren<QPushButton *>())
        if (button->text() == text && button->isVisible())
            return button;
    return nullptr;
}

QString programPath(const char *variable, const char *built)
{
    const QString overridden = qEnvironmentVariable(variable);
    return overridden.isEmpty() ? QString::fromUtf8(built) : overridden;
}

void shot(QWidget *widget, const QString &name)
{
    QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
    widget->grab().save(QStringLiteral(RDT_SCREENSHOT_DIR "/workbench-day-%1.png").arg(name));
}

int lineCount(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? int(file.readAll().count('\n')) : 0;
}

rdt::RunRowState stateOf(const rdt::RunDashboard *dashboard, const QString &run)
{
    const rdt::RunListModel *model = dashboard->runList()->model();
    const int row = model->rowOf(run);
    return row >= 0 ? model->run(row).state : rdt::RunRowState::Unknown;
}

} // namespace

class WorkbenchDayTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QString m_folder;   // the sandbox's

    // From the configuration page: name and steps set, then Launch; returns once handed over.
    void launchFromConfiguration(rdt::MainWindow &window, QSignalSpy &handOver, const QString &name, int steps)
    {
        rdt::SetupWizard *wizard = window.setupWizard();
        QCOMPARE(wizard->currentId(), int(rdt::SetupWizard::TrainingPageId));
        rdt::TrainingConfigPage *training = wizard->trainingPage();
        rdt::TrainingSettings settings = training->settings();
        QCOMPARE(settings.runName, name);   // suggested, not typed
        settings.maxTrainSteps = steps;
        // One thread per trainer: three of them share the machine.
        settings.environment.append(QPair<QByteArray, QByteArray>("OMP_NUM_THREADS", "1"));
        training->setSettings(settings);
        wizard->next();
        rdt::LaunchPage *launch = wizard->launchPage();
        launch->setStartTimeout(120);
        QPushButton *button = buttonNamed(launch, QStringLiteral("Launch"));
        QVERIFY(button);
        QVERIFY2(button->isEnabled(), "Launch stays available for each new run");
        const int before = handOver.count();
        button->click();
        QTRY_VERIFY_WITH_TIMEOUT(handOver.count() == before + 1 || !launch->failureText().isEmpty(), 150000);
        QVERIFY2(handOver.count() == before + 1, qPrintable(launch->logText() + launch->failureText()));
        QCOMPARE(handOver.last().first().value<rdt::LaunchedRun>().name, name);
        QVERIFY(!window.isShowingWizard());
        QCOMPARE(window.runDashboard()->currentRun(), name);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("config")));
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("config")));
        QVERIFY(QDir().mkpath(m_home.filePath(QStringLiteral("tmp"))));
        qputenv("TMPDIR", m_home.filePath(QStringLiteral("tmp")).toUtf8());   // where the sandbox goes
        const QString bin = m_home.filePath(QStringLiteral("bin"));
        QVERIFY(QDir().mkpath(bin));
        const QString trainer = programPath("RDT_TEST_TRAINER", RDT_TRAINER_BINARY);
        const QString dataTool = programPath("RDT_TEST_SANDBOX_DATA", RDT_SANDBOX_DATA_BINARY);
        if (trainer.isEmpty() || dataTool.isEmpty())
            QSKIP("needs rdt-trainer and rdt-sandbox-data (configure with the trainer)");
        QVERIFY(QFile::link(trainer, bin + QStringLiteral("/rdt-trainer")));
        QVERIFY(QFile::link(dataTool, bin + QStringLiteral("/rdt-sandbox-data")));
        qputenv("PATH", bin.toUtf8() + ':' + qgetenv("PATH"));
    }

    void cleanupTestCase()
    {
        // Whatever a failed check left training is stopped, so nothing outlives the test.
        if (!m_folder.isEmpty()) {
            for (const rdt::SandboxTrainer &trainer : rdt::SandboxTrainers::live(m_folder + QStringLiteral("/server/rdt/runs")))
                ::kill(pid_t(trainer.pid), SIGKILL);
        }
    }

    void nextRunNames()
    {
        QCOMPARE(rdt::NextRunName::after(QStringLiteral("smoke"), {}), QStringLiteral("smoke-2"));
        QCOMPARE(rdt::NextRunName::after(QStringLiteral("smoke-2"), {}), QStringLiteral("smoke-3"));
        QCOMPARE(rdt::NextRunName::after(QStringLiteral("smoke"), {QStringLiteral("smoke-2"), QStringLiteral("smoke-3")}),
                 QStringLiteral("smoke-4"));
        QCOMPARE(rdt::NextRunName::after(QStringLiteral("rdt-20261203-1533"), {}), QStringLiteral("rdt-20261203-1533-2"));
        QCOMPARE(rdt::NextRunName::after(QString(), {}), QStringLiteral("run-2"));
    }

    // Every view fits a 1280x720 laptop screen: the window's minimum size says so, and the
    // widest minimums are named when it does not.
    void fitsALaptop()
    {
        rdt::MainWindow window;
        rdt::WorkbenchController controller(&window);
        window.show();
        const std::function<void()> views[] = {[&] { window.showWizard(); }, [&] { window.showWorkspace(); },
                                               [&] { window.showRuns(); }};
        for (const auto &show : views) {
            show();
            window.resize(1280, 720);
            QTest::qWait(50);
            QStringList widest;
            for (QWidget *child : window.findChildren<QWidget *>())
                if (child->minimumSizeHint().width() > 700)
                    widest << QStringLiteral("%1 %2 %3").arg(QString::fromLatin1(child->metaObject()->className()), child->objectName())
                                  .arg(child->minimumSizeHint().width());
            QVERIFY2(window.width() <= 1280 && window.height() <= 720,
                     qPrintable(QStringLiteral("%1x%2: %3").arg(window.width()).arg(window.height()).arg(widest.join(QStringLiteral("; ")))));
        }
        window.showRuns();
        shot(&window, QStringLiteral("1280x720-empty-runs"));
    }

    // The last checkpoint's age grows with the clock, not only when a step is logged.
    void checkpointAgeAges()
    {
        rdt::RunSeries series;
        series.append(100, 1000.0, 0.5, 1e-4, 1.0, 2.0);
        series.addCheckpoint(100, 1000.0);
        rdt::RunRow row;
        row.name = QStringLiteral("aging");
        row.state = rdt::RunRowState::Finished;
        row.step = 100;
        double now = 1001.0;
        rdt::RunHeader header;
        header.setClock([&] { return now; });
        header.setRun(row, &series);
        QVERIFY2(header.checkpointText().contains(QLatin1String("checkpoint-100 (0:00:01 ago)")), qPrintable(header.checkpointText()));
        now = 1000.0 + 3725;
        QTRY_VERIFY2_WITH_TIMEOUT(header.checkpointText().contains(QLatin1String("(1:02:05 ago)")), qPrintable(header.checkpointText()), 3000);
    }

    // The log follows new lines after a resize re-wraps them, and stops when scrolled up.
    void logFollowsUnlessScrolledUp()
    {
        rdt::LogPanel log;
        log.resize(900, 300);
        log.show();
        QStringList lines;
        for (int i = 0; i < 400; ++i)
            lines << QStringLiteral("step %1 loss 0.%2 a long line that wraps when the panel is narrow enough to wrap it").arg(i).arg(i);
        log.appendLines(lines);
        auto *edit = log.findChild<QPlainTextEdit *>();
        QScrollBar *bar = edit->verticalScrollBar();
        QCOMPARE(bar->value(), bar->maximum());
        log.resize(300, 300);   // re-wraps: the end moves
        QTest::qWait(50);
        log.appendLines({QStringLiteral("after the resize")});
        QCOMPARE(bar->value(), bar->maximum());
        bar->triggerAction(QAbstractSlider::SliderPageStepSub);   // the user scrolls up
        QTest::qWait(20);
        const int where = bar->value();
        QVERIFY(where < bar->maximum());
        log.appendLines({QStringLiteral("while reading above")});
        QCOMPARE(bar->value(), where);
        bar->triggerAction(QAbstractSlider::SliderToMaximum);   // and back down: following again
        QTest::qWait(20);
        log.appendLines({QStringLiteral("following again")});
        QCOMPARE(bar->value(), bar->maximum());
    }

    // A 2 MiB upload that takes 2 s: a slow first moment says nothing; after the first
    // second the time left comes from the recent rate.
    void transferTimeLeftFromAMovingAverage()
    {
        constexpr qint64 total = qint64(2) << 20;
        rdt::TransferRateEstimate rate;
        rate.start(0);
        rate.add(0.05, 2048);   // the connection's start: 40 KiB/s, "15 min" left at that rate
        QCOMPARE(rate.secondsLeft(total - 2048), -1.0);
        QCOMPARE(rate.bytesPerSecond(), 0.0);
        qint64 done = 2048;
        double now = 0.05;
        while (now < 1.2) {   // then 1 MiB/s
            now += 0.1;
            done = std::min(total, done + (qint64(1) << 20) / 10);
            rate.add(now, done);
        }
        const double left = rate.secondsLeft(total - done);
        QVERIFY2(left > 0.5 && left < 1.5, qPrintable(QString::number(left)));
        // A stall ages out of the window: the rate follows what happens now.
        for (int i = 0; i < 60; ++i) {
            now += 0.1;
            rate.add(now, done);
        }
        QCOMPARE(rate.bytesPerSecond(), 0.0);
        QCOMPARE(rate.secondsLeft(0), 0.0);
    }

    // The last server is remembered with everything the wizard's first page holds, and
    // forgotten when its own ssh_config is gone (a sandbox folder removed).
    void lastConnectionIsRemembered()
    {
        rdt::WizardSession session;
        session.profile.name = QStringLiteral("lab");
        session.profile.host = QStringLiteral("gpu01");
        session.profile.jumps = {QStringLiteral("jump01"), QStringLiteral("bastion")};
        session.profile.port = 2222;
        session.profile.remoteRoot = QStringLiteral("~/rdt");
        session.profile.localDatasetPath = QStringLiteral("/data/libero.hdf5");
        const QString config = m_home.filePath(QStringLiteral("lab_ssh_config"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Host gpu01\n    HostName 10.0.0.5\n");
        file.close();
        session.sshConfigFile = config;
        rdt::LastConnection::save(session);
        const std::optional<rdt::LastConnection::Saved> saved = rdt::LastConnection::load();
        QVERIFY(saved);
        QCOMPARE(saved->profile.host, QStringLiteral("gpu01"));
        QCOMPARE(saved->profile.jumps, session.profile.jumps);
        QCOMPARE(saved->profile.port, 2222);
        QCOMPARE(saved->profile.remoteRoot, QStringLiteral("~/rdt"));
        QCOMPARE(saved->profile.localDatasetPath, QStringLiteral("/data/libero.hdf5"));
        QCOMPARE(saved->sshConfigFile, config);
        QVERIFY(QFile::remove(config));
        QVERIFY(!rdt::LastConnection::load());
        rdt::LastConnection::forget();
    }

    void launchThreeQuitAndComeBack();
};

void WorkbenchDayTest::launchThreeQuitAndComeBack()
{
    QString kept;
    int linesAtQuit = 0;
    {
        rdt::MainWindow window;
        rdt::WorkbenchController controller(&window);
        window.resize(1280, 720);
        window.show();
        QList<rdt::QuitGuard::Situation> asked;
        controller.quitGuard()->setChooser([&](const rdt::QuitGuard::Situation &situation) {
            asked << situation;
            return rdt::QuitGuard::Choice::QuitKeepingRuns;
        });
        QSignalSpy handOver(window.setupWizard(), &rdt::SetupWizard::runStarted);
        rdt::SetupWizard *wizard = window.setupWizard();
        controller.startSandbox();
        QTRY_VERIFY_WITH_TIMEOUT(wizard->connectionPage()->isComplete(), 180000);
        QVERIFY(controller.sandbox()->isReady());
        QVERIFY(!controller.sandbox()->isReused());
        QVERIFY2(!rdt::LastConnection::load(), "the sandbox comes back with --sandbox, not as the last server");
        m_folder = controller.sandbox()->folder();

        // Connected once, in the wizard: the dashboard and the Server view show that same
        // connection (the sandbox's host alias resolved through its ssh_config), and the
        // Server view's own Connect and Check use it rather than a second one.
        QTRY_COMPARE_WITH_TIMEOUT(controller.dashboard()->link(), rdt::DashboardController::Link::Attached, 30000);
        QCOMPARE(controller.dashboard()->client(), wizard->session()->client());
        rdt::ConnectionPanel *server = window.connectionPanel();
        QCOMPARE(server->host(), QStringLiteral("sandbox-gpu"));
        const auto serverLog = [server] { return server->findChild<QPlainTextEdit *>()->toPlainText(); };
        QVERIFY2(serverLog().contains(QLatin1String("the setup wizard's connection, shared")), qPrintable(serverLog()));
        controller.connectToServer();   // the Server view's Connect
        QVERIFY2(!serverLog().contains(QLatin1String("resolve")), qPrintable(serverLog()));
        QCOMPARE(controller.dashboard()->client(), wizard->session()->client());
        controller.checkServer();
        QTRY_VERIFY2_WITH_TIMEOUT(window.checkListModel()->rowCount() >= 9, qPrintable(serverLog()), 60000);
        QVERIFY(wizard->session()->isConnected());
        window.showWizard();

        wizard->next();
        QTRY_VERIFY_WITH_TIMEOUT(wizard->serverCheckPage()->isComplete(), 60000);
        // The sandbox trains on the CPU: its missing GPU is expected, not a failure.
        bool sawGpus = false;
        for (const rdt::CheckItem &item : wizard->session()->checkItems)
            if (item.id == rdt::CheckId::Gpus) {
                sawGpus = true;
                QCOMPARE(item.status, rdt::CheckStatus::Ok);
                QVERIFY2(item.detail.contains(QLatin1String("as expected")), qPrintable(item.detail));
            }
        QVERIFY(sawGpus);
        shot(&window, QStringLiteral("1280x720-server-check"));
        wizard->next();
        rdt::DataModelPage *data = wizard->dataModelPage();
        QTRY_VERIFY_WITH_TIMEOUT(!data->isBusy() && data->model()->rowCount() >= 2, 60000);
        QSignalSpy uploaded(data, &rdt::DataModelPage::uploadFinished);
        buttonNamed(data, QStringLiteral("Upload what differs"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(uploaded.count(), 1, 120000);
        QVERIFY(uploaded.first().first().toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!data->isBusy(), 60000);
        // Back on the check page after the uploads: it checks again instead of showing the
        // server as it was before them.
        QSignalSpy rechecked(wizard->serverCheckPage()->model(), &QAbstractItemModel::modelReset);
        wizard->back();
        QTRY_VERIFY_WITH_TIMEOUT(rechecked.count() > 0 && wizard->serverCheckPage()->isComplete(), 60000);
        wizard->next();
        QTRY_VERIFY_WITH_TIMEOUT(!data->isBusy() && data->model()->rowCount() >= 2, 60000);
        wizard->next();
        rdt::TrainingConfigPage *training = wizard->trainingPage();
        training->applyPreset(QStringLiteral("CPU smoke test (sandbox)"));
        rdt::TrainingSettings settings = training->settings();
        settings.runName = QStringLiteral("day");
        training->setSettings(settings);

        // 1. From the wizard; 2. and 3. from the dashboard's Start…, names suggested.
        launchFromConfiguration(window, handOver, QStringLiteral("day"), 40);
        QPushButton *start = buttonNamed(window.runDashboard(), QStringLiteral("Start…"));
        QVERIFY(start);
        start->click();
        QVERIFY(window.isShowingWizard());
        launchFromConfiguration(window, handOver, QStringLiteral("day-2"), 40);
        start->click();
        launchFromConfiguration(window, handOver, QStringLiteral("day-3"), 1000000);

        // A taken name: the launch page says so, offers resume, and keeps Launch off.
        start->click();
        rdt::TrainingSettings again = training->settings();
        QCOMPARE(again.runName, QStringLiteral("day-4"));
        again.runName = QStringLiteral("day-2");
        training->setSettings(again);
        wizard->next();
        rdt::LaunchPage *launch = wizard->launchPage();
        QVERIFY(launch->takenRunNote()->isTaken());
        QVERIFY2(launch->takenRunNote()->text().contains(QLatin1String("already exists")), qPrintable(launch->takenRunNote()->text()));
        QVERIFY(buttonNamed(launch, QStringLiteral("Resume day-2")));
        QVERIFY(!buttonNamed(launch, QStringLiteral("Launch"))->isEnabled());
        shot(&window, QStringLiteral("1280x720-taken-name"));
        buttonNamed(launch, QStringLiteral("Use day-4"))->click();
        QVERIFY(!launch->takenRunNote()->isTaken());
        QVERIFY(buttonNamed(launch, QStringLiteral("Launch"))->isEnabled());
        window.showRuns();

        // Two runs overlaid on the third.
        rdt::RunDashboard *dashboard = window.runDashboard();
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(dashboard, QStringLiteral("day")) == rdt::RunRowState::Finished
                                     && stateOf(dashboard, QStringLiteral("day-2")) == rdt::RunRowState::Finished,
                                 180000);
        dashboard->setOverlay(QStringLiteral("day"), true);
        dashboard->setOverlay(QStringLiteral("day-2"), true);
        dashboard->setCurrentRun(QStringLiteral("day-3"));
        QStringList legend;
        for (const rdt::PlotLegend::Entry &entry : dashboard->legend()->entries())
            legend << entry.run;
        QCOMPARE(legend, (QStringList{QStringLiteral("day-3"), QStringLiteral("day"), QStringLiteral("day-2")}));
        QVERIFY(dashboard->legend()->isVisible());

        // Two runs of this preset finished here: the configuration page knows the step rate.
        window.showWizard();
        wizard->back();
        QCOMPARE(wizard->currentId(), int(rdt::SetupWizard::TrainingPageId));
        QVERIFY2(training->estimatesText().contains(QLatin1String("Expected duration: <b>")), qPrintable(training->estimatesText()));
        window.showRuns();
        QTRY_VERIFY_WITH_TIMEOUT(dashboard->series(QStringLiteral("day")) && dashboard->series(QStringLiteral("day"))->size() >= 40
                                     && dashboard->series(QStringLiteral("day-2")) && dashboard->series(QStringLiteral("day-2"))->size() >= 40
                                     && dashboard->series(QStringLiteral("day-3")) && dashboard->series(QStringLiteral("day-3"))->size() > 5,
                                 120000);
        QCOMPARE(stateOf(dashboard, QStringLiteral("day-3")), rdt::RunRowState::Running);
        // The current run's log is followed without asking: its lines show before "Open log".
        QTRY_VERIFY_WITH_TIMEOUT(dashboard->logPanel()->text().contains(QLatin1String("step ")), 30000);
        // "Open log" (from the Eval tab) shows the Training tab and train.log's lines.
        dashboard->tabs()->setCurrentIndex(1);
        buttonNamed(dashboard->runList(), QStringLiteral("Open log"))->click();
        QCOMPARE(dashboard->tabs()->currentIndex(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(dashboard->logPanel()->text().contains(QLatin1String("step ")), 30000);
        shot(&window, QStringLiteral("1280x720-runs"));
        // A live run with its notices and an overlay still fits a 1280x720 screen (the
        // wizard, the stack's tallest page by then, scrolls instead of setting the height).
        QStringList tallest;
        for (QWidget *child : window.findChildren<QWidget *>())
            if (child->minimumSizeHint().height() > 600)
                tallest << QStringLiteral("%1 %2 %3").arg(QString::fromLatin1(child->metaObject()->className()), child->objectName())
                              .arg(child->minimumSizeHint().height());
        QVERIFY2(window.width() <= 1280 && window.height() <= 720,
                 qPrintable(QStringLiteral("%1x%2: %3").arg(window.width()).arg(window.height()).arg(tallest.join(QStringLiteral("; ")))));
        window.resize(1600, 1000);
        QTest::qWait(300);
        shot(&window, QStringLiteral("1600x1000-runs"));

        // Quit with day-3 training: the question names it, the answer keeps it going.
        window.close();
        QCOMPARE(asked.size(), 1);
        QVERIFY(asked.first().runningRuns.contains(QStringLiteral("day-3")));
        QCOMPARE(asked.first().sandboxRuns, QStringList{QStringLiteral("day-3")});
        const QString text = rdt::QuitGuard::describe(asked.first());
        QVERIFY2(text.contains(QLatin1String("keeps its folder")), qPrintable(text));
        QVERIFY(!window.isVisible());
        kept = controller.sandbox()->remoteRoot() + QStringLiteral("/runs/day-3");
    }
    // The workbench is gone; the trainer is not, and neither is anything it writes.
    QVERIFY(QFileInfo::exists(m_folder + QLatin1Char('/') + rdt::Sandbox::keptMarkerName()));
    const QList<rdt::SandboxTrainer> live = rdt::SandboxTrainers::live(m_folder + QStringLiteral("/server/rdt/runs"));
    QCOMPARE(live.size(), 1);
    QCOMPARE(QFileInfo(live.first().runFolder).fileName(), QStringLiteral("day-3"));
    linesAtQuit = lineCount(kept + QStringLiteral("/metrics.jsonl"));
    QVERIFY(linesAtQuit > 5);
    QVERIFY(QFileInfo(kept + QStringLiteral("/train.log")).isFile());
    QVERIFY(QFileInfo(m_folder + QStringLiteral("/local/libero_sandbox_pick.hdf5")).isFile());
    QTRY_VERIFY_WITH_TIMEOUT(lineCount(kept + QStringLiteral("/metrics.jsonl")) > linesAtQuit, 30000);   // still training

    // Start again: the sandbox takes its folder up, the dashboard comes back on day-3.
    {
        rdt::MainWindow window;
        rdt::WorkbenchController controller(&window);
        window.resize(1280, 720);
        window.show();
        controller.quitGuard()->setChooser([](const rdt::QuitGuard::Situation &) {
            return rdt::QuitGuard::Choice::StopSandboxRunsAndQuit;
        });
        controller.startSandbox();
        QTRY_VERIFY_WITH_TIMEOUT(window.setupWizard()->connectionPage()->isComplete(), 60000);
        QVERIFY(controller.sandbox()->isReused());
        QCOMPARE(controller.sandbox()->folder(), m_folder);
        QVERIFY(!QFileInfo::exists(m_folder + QLatin1Char('/') + rdt::Sandbox::keptMarkerName()));
        rdt::RunDashboard *dashboard = window.runDashboard();
        QTRY_COMPARE_WITH_TIMEOUT(dashboard->currentRun(), QStringLiteral("day-3"), 60000);
        QCOMPARE(dashboard->runList()->selectedRun(), QStringLiteral("day-3"));
        QCOMPARE(stateOf(dashboard, QStringLiteral("day-3")), rdt::RunRowState::Running);
        QTRY_VERIFY_WITH_TIMEOUT(dashboard->series(QStringLiteral("day-3"))
                                     && dashboard->series(QStringLiteral("day-3"))->size() >= linesAtQuit - 2,
                                 60000);   // the start line is not a point
        window.showRuns();
        QTest::qWait(300);
        shot(&window, QStringLiteral("1280x720-restarted"));

        // Quit again, stopping the sandbox's run this time: it checkpoints and ends first.
        window.close();
        QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 60000);
        QVERIFY(rdt::SandboxTrainers::live(m_folder + QStringLiteral("/server/rdt/runs")).isEmpty());
    }
    QVERIFY2(!QFileInfo::exists(m_folder), "no trainer left: the sandbox's folder goes with the workbench");
}

QTEST_MAIN(WorkbenchDayTest)
#include "gui_workbench_day.moc"
