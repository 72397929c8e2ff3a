// The Eval tab of the run dashboard on the real jump topology with the real rdt-trainer: a
// tiny CPU model trained here, the dashboard attached through DashboardController, an eval
// launched from the tab's Launch button, followed to its end with progress, its results and
// videos fetched into the local eval cache (verified against the server's files), one video
// played to the end, a seek and frame steps with the action plot's cursor following, a
// screenshot of the tab with a real frame; and a long eval cancelled from the tab, which
// ends the process on the server. The GPU host is a namespace of this machine, so the test
// reads the server's files locally.
#include "ActionPlot.h"
#include "DashboardController.h"
#include "EvalCache.h"
#include "EvalController.h"
#include "EvalFolder.h"
#include "EvalLaunchPanel.h"
#include "EvalPlayer.h"
#include "EvalResultsModel.h"
#include "EvalView.h"
#include "MediaBackend.h"
#include "RunDashboard.h"
#include "VideoFrameView.h"
#include "support_files.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMediaPlayer>
#include <QProcess>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using namespace rdt;

namespace {

constexpr char kTinyConfig[] = "common: {img_history_size: 2, action_chunk_size: 64, num_cameras: 3, state_dim: 128}\n"
                               "dataset: {tokenizer_max_length: 16}\n"
                               "model:\n  lang_token_dim: 32\n  img_token_dim: 24\n  img_num_patches: 4\n"
                               "  rdt: {hidden_size: 64, depth: 2, num_heads: 4}\n";
constexpr int kSteps = 40;   // per episode of the short run: frames per video

QString runLocally(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(180000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QStringLiteral("%1 failed: %2").arg(program, QString::fromUtf8(process.readAll().right(2000)));
    return {};
}

// How much the picture varies: a real frame is not one flat colour.
int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}

} // namespace

class EvalTabTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_work;
    QString m_root;
    std::unique_ptr<SshClient> m_client;
    RunDashboard *m_dashboard = nullptr;
    DashboardController *m_controller = nullptr;

    QString trainRun(const QString &name, int demos, int steps)
    {
        const QString dataset = m_root + QStringLiteral("/datasets/%1.hdf5").arg(name);
        QString error = runLocally(QStringLiteral(RDT_SANDBOX_DATA_BINARY),
                                   {dataset, QStringLiteral("--demos"), QString::number(demos), QStringLiteral("--steps"),
                                    QString::number(steps), QStringLiteral("--image"), QStringLiteral("8")});
        if (!error.isEmpty())
            return error;
        return runLocally(QStringLiteral(RDT_TRAINER_BINARY),
                          {QStringLiteral("train"), QStringLiteral("--config"), m_root + QStringLiteral("/tiny.yaml"),
                           QStringLiteral("--dataset"), dataset, QStringLiteral("--output_dir"),
                           m_root + QStringLiteral("/runs/") + name, QStringLiteral("--max_train_steps"), QStringLiteral("10"),
                           QStringLiteral("--train_batch_size"), QStringLiteral("2"), QStringLiteral("--checkpointing_period"),
                           QStringLiteral("10"), QStringLiteral("--dataloader_num_workers"), QStringLiteral("0"),
                           QStringLiteral("--lr_warmup_steps"), QStringLiteral("0"),
                           // The tiny model trains on the stand-in encoders, which must be asked for.
                           QStringLiteral("--vision_encoder"), QStringLiteral("patch"), QStringLiteral("--lang"),
                           QStringLiteral("learned")});
    }

    EvalView *view() const { return m_dashboard->evalView(); }
    EvalPlayer *player() const { return view()->player(); }

    // The run shown, its checkpoint listed and picked in the Eval tab.
    bool showRun(const QString &run)
    {
        m_dashboard->setCurrentRun(run);
        return QTest::qWaitFor([&] {
            return m_controller->evals()->run() == run
                   && view()->launchPanel()->selectedCheckpoint() == QLatin1String("checkpoint-10");
        }, 60000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_work.isValid());
        m_root = QDir(m_work.path()).canonicalPath() + QStringLiteral("/root");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/datasets")));
        QVERIFY(writeFile(m_root + QStringLiteral("/tiny.yaml"), kTinyConfig));
        QString error = trainRun(QStringLiteral("short"), 4, kSteps);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = trainRun(QStringLiteral("long"), 40, 300);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        m_dashboard = new RunDashboard;
        m_dashboard->resize(1600, 900);
        m_dashboard->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dashboard));
        m_controller = new DashboardController(m_dashboard);
        m_controller->setTrainer(QStringLiteral(RDT_TRAINER_BINARY));
        m_controller->evals()->setCache(EvalCache(m_work.path() + QStringLiteral("/cache")));
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(c.error.message));
        m_client = std::move(c.client);
        m_controller->attach(m_client.get(), m_root);
        m_dashboard->tabs()->setCurrentIndex(1);   // the Eval tab (its page scrolls the EvalView)
    }

    void cleanupTestCase()
    {
        // Issue 16's figure: the dashboard with an eval followed and its 4-file download.
        const rdt::ChannelStats channels = m_client->channelStats();
        qInfo("eval dashboard connection: at most %d channels open at once, %d commands waiting at most (budget %d)",
              channels.peakOpen, channels.peakWaiting, channels.limit);
        delete m_controller;
        delete m_dashboard;
    }

    void launchFollowDownloadAndPlay()
    {
        QVERIFY2(showRun(QStringLiteral("short")), "the Eval tab never offered checkpoint-10");
        EvalLaunchPanel *panel = view()->launchPanel();
        QSignalSpy ended(m_controller->evals(), &EvalController::evalEnded);
        QSignalSpy fetched(m_controller->evals(), &EvalController::downloadFinished);
        // The trainer's eval first and chosen; the servers' LIBERO scripts on offer.
        QVERIFY(panel->commandBox()->count() >= 3);
        QCOMPARE(panel->commandBox()->currentIndex(), 0);
        QVERIFY(panel->options().command.isEmpty());
        QVERIFY(panel->launchButton()->isEnabled());
        panel->launchButton()->click();
        QTRY_VERIFY(panel->isRunning());
        QVERIFY(panel->cancelButton()->isVisible());
        QVERIFY2(ended.wait(120000) || ended.size() == 1, "the eval never ended");
        QCOMPARE(ended.first().at(1).toString(), QString());
        QVERIFY(!panel->isRunning());
        QVERIFY2(fetched.wait(60000) || fetched.size() == 1, "the videos never came");
        const Error fetchError = fetched.first().at(1).value<Error>();
        QVERIFY2(fetchError.code == ErrorCode::None, qPrintable(fetchError.message));

        // Results and videos are here, the same bytes as the server's.
        const QString local = m_controller->evals()->localFolder();
        QVERIFY(local.startsWith(m_work.path() + QStringLiteral("/cache/")));
        QCOMPARE(md5Tree(local), md5Tree(EvalFolder::folder(m_root, QStringLiteral("short"), QStringLiteral("checkpoint-10"))));
        EvalResultsModel *model = view()->resultsModel();
        QCOMPARE(model->rowCount(), 4);
        for (int row = 0; row < 4; ++row)
            QCOMPARE(model->videoState(row), EvalVideoState::Here);
        QVERIFY2(panel->statusText().contains(QLatin1String("here")), qPrintable(panel->statusText()));

        // Play one to its end.
        view()->playEpisode(0);
        QTRY_COMPARE_WITH_TIMEOUT(player()->shownFrame(), 0, 10000);
        QCOMPARE(player()->frameCount(), kSteps);
        player()->setSpeed(4.0);
        player()->play();
        QTRY_COMPARE_WITH_TIMEOUT(player()->mediaPlayer()->mediaStatus(), QMediaPlayer::EndOfMedia, 20000);
        QVERIFY2(player()->shownFrame() >= kSteps - 3, qPrintable(QString::number(player()->shownFrame())));
        QVERIFY(player()->actionPlot()->cursorStep() >= kSteps - 3);
        QVERIFY(!player()->hasError());

        // Seek and step frames; the action cursor follows.
        player()->seekToFrame(20);
        QTRY_COMPARE(player()->shownFrame(), 20);
        QTRY_COMPARE(player()->actionPlot()->cursorStep(), 20);
        player()->stepFrames(1);
        QTRY_COMPARE(player()->shownFrame(), 21);
        QTRY_COMPARE(player()->actionPlot()->cursorStep(), 21);
        player()->stepFrames(-1);
        player()->stepFrames(-1);
        QTRY_COMPARE(player()->shownFrame(), 19);
        QTRY_COMPARE(player()->actionPlot()->cursorStep(), 19);

        // The screenshot holds a real frame.
        player()->seekToFrame(25);
        QTRY_COMPARE(player()->shownFrame(), 25);
        QTest::qWait(200);   // the plot's queued replot
        QVERIFY(distinctColours(player()->videoView()->image()) > 8);
        const QImage shot = m_dashboard->grab().toImage();
        QVERIFY(QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR)));
        const QString file = QStringLiteral(RDT_SCREENSHOT_DIR "/eval_tab.png");
        QVERIFY(shot.save(file));
        const QRect video(player()->videoView()->mapTo(m_dashboard, QPoint(0, 0)), player()->videoView()->size());
        QVERIFY(distinctColours(shot.copy(video)) > 8);
        qInfo("screenshot: %s", qPrintable(file));

        // Choosing the checkpoint again reads the cache and moves nothing.
        fetched.clear();
        m_controller->evals()->setRun({});
        QCOMPARE(view()->resultsModel()->rowCount(), 0);
        m_controller->evals()->setRun(QStringLiteral("short"));
        QCOMPARE(view()->resultsModel()->rowCount(), 4);   // from the cache, before the server answers
        QVERIFY2(fetched.wait(60000) || fetched.size() == 1, "no second look at the server's files");
        QVERIFY2(panel->statusText().contains(QLatin1String("0 files fetched")), qPrintable(panel->statusText()));
    }

    void cancelEndsTheEvalOnTheServer()
    {
        QVERIFY2(showRun(QStringLiteral("long")), "the Eval tab never offered checkpoint-10 of run long");
        EvalLaunchPanel *panel = view()->launchPanel();
        QSignalSpy ended(m_controller->evals(), &EvalController::evalEnded);
        EvalLaunchOptions options = panel->options();
        QStringList demos;
        for (int i = 0; i < 40; ++i)
            demos.append(QStringLiteral("demo_%1").arg(i));
        options.episodes = demos.join(QLatin1Char(','));
        Q_EMIT panel->launchRequested(options);
        // Generous: a loaded machine (a build beside the tests) took over a minute to start it.
        QTRY_VERIFY_WITH_TIMEOUT(panel->statusText().contains(QLatin1String("running (pid")), 180000);
        QVERIFY2(panel->statusText().contains(QLatin1String("running (pid")), qPrintable(panel->statusText()));
        const QString folder = EvalFolder::folder(m_root, QStringLiteral("long"), QStringLiteral("checkpoint-10"));
        const qint64 pid = QString::fromUtf8(readFileBytes(folder + QStringLiteral("/.rdt/trainer.pid"))).trimmed().toLongLong();
        QVERIFY(pid > 0);
        QVERIFY(panel->cancelButton()->isEnabled());
        panel->cancelButton()->click();
        QVERIFY2(ended.wait(60000) || ended.size() == 1, "Cancel never ended the eval");
        QVERIFY2(ended.first().at(1).toString().contains(QLatin1String("stopped")), qPrintable(ended.first().at(1).toString()));
        QVERIFY(!panel->isRunning());
        QTRY_VERIFY2(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)), "the eval process must be gone");
    }

private:
    static QByteArray readFileBytes(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }
};

int main(int argc, char **argv)
{
    rdt::preferFfmpegMediaBackend();
    QApplication app(argc, argv);
    EvalTabTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "sshd_gui_eval.moc"
