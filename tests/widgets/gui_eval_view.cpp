// The Eval view on a real eval folder (results.json, actions files, ffmpeg-made videos)
// laid out as the download leaves it: the checkpoint picker prefers the best sample MSE,
// launch and cancel carry the user's choices, the results table drives the player, a video
// still on the server is asked for, and one that arrives joins the playlist.
#include "ActionPlot.h"
#include "CheckpointTableModel.h"
#include "EvalLaunchPanel.h"
#include "EvalPlayer.h"
#include "EvalView.h"
#include "MediaBackend.h"
#include "VideoFrameView.h"
#include "support_eval_media.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProgressBar>
#include <QSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace rdt;
using namespace rdt::test;

namespace {

const int kFrames[] = {60, 40, 30};   // each episode's length tells them apart on screen

QJsonObject episodeJson(int index, bool withVideo)
{
    QJsonObject episode{{QStringLiteral("index"), index},
                        {QStringLiteral("episode"), QStringLiteral("demo_%1").arg(index)},
                        {QStringLiteral("file"), QStringLiteral("libero_10.hdf5")},
                        {QStringLiteral("task"), QStringLiteral("put the bowl on the plate")},
                        {QStringLiteral("steps"), kFrames[index]},
                        {QStringLiteral("mse"), 0.01 * (index + 1)},
                        {QStringLiteral("l2err"), 0.1 * (index + 1)},
                        {QStringLiteral("mse_per_dim"), QJsonArray{0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02}},
                        {QStringLiteral("gripper_agreement"), 0.9}};
    if (withVideo)
        episode.insert(QStringLiteral("video"), QStringLiteral("videos/episode_%1_put_the_bowl.mp4").arg(index, 3, 10, QLatin1Char('0')));
    return episode;
}

} // namespace

class EvalViewTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void pickerPrefersTheBestCheckpoint();
    void launchAndCancelCarryTheChoices();
    void resultsTableDrivesThePlayer();
    void videoOnTheServerIsAskedForAndJoinsWhenHere();
    void screenshotShowsTheViewWithARealFrame();

private:
    QString evalFolder() const { return m_dir.filePath(QStringLiteral("eval/checkpoint-200")); }
    int paintedFrame() const { return frameIndexIn(m_view->player()->videoView()->image()); }
    EvalResults results() const;

    QTemporaryDir m_dir;
    EvalView *m_view = nullptr;
    CheckpointTableModel *m_checkpoints = nullptr;
};

void EvalViewTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir().mkpath(evalFolder() + QStringLiteral("/videos")));
    QVERIFY(QDir().mkpath(evalFolder() + QStringLiteral("/actions")));
    QJsonArray episodes;
    for (int i = 0; i < 3; ++i) {
        episodes.append(episodeJson(i, true));
        QVERIFY(writeFile(evalFolder() + QStringLiteral("/actions/demo_%1.json").arg(i), actionsJson(QStringLiteral("demo_%1").arg(i), kFrames[i], 20)));
    }
    // Episodes 0 and 1 are downloaded; episode 2's video is still on the server.
    for (int i = 0; i < 2; ++i) {
        const QString error = makeCounterVideo(evalFolder() + QStringLiteral("/videos/episode_%1_put_the_bowl.mp4").arg(i, 3, 10, QLatin1Char('0')),
                                               VideoCodec::H264, 20, kFrames[i]);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    const QJsonObject results{{QStringLiteral("checkpoint"), QStringLiteral("checkpoint-200")},
                              {QStringLiteral("weights"), QStringLiteral("ema")},
                              {QStringLiteral("flags"), QJsonObject{{QStringLiteral("exec_horizon"), 16}}},
                              {QStringLiteral("episodes"), episodes},
                              {QStringLiteral("tasks"), QJsonObject{{QStringLiteral("put the bowl on the plate"),
                                  QJsonObject{{QStringLiteral("episodes"), 3}, {QStringLiteral("mse"), 0.02}}}}},
                              {QStringLiteral("aggregate"), QJsonObject{{QStringLiteral("episodes"), 3}, {QStringLiteral("mse"), 0.02},
                                                                        {QStringLiteral("l2err"), 0.2}, {QStringLiteral("gripper_agreement"), 0.9}}}};
    QVERIFY(writeFile(evalFolder() + QStringLiteral("/results.json"), QJsonDocument(results).toJson()));
}

EvalResults EvalViewTest::results() const
{
    const Result<EvalResults> loaded = EvalResults::load(evalFolder() + QStringLiteral("/results.json"));
    if (!loaded)
        qFatal("%s", qPrintable(loaded.error().message));
    return *loaded;
}

void EvalViewTest::init()
{
    m_view = new EvalView;
    m_view->resize(1400, 760);
    m_checkpoints = new CheckpointTableModel(m_view);
    std::vector<CheckpointRow> rows;
    for (qint64 step : {100, 200, 300})
        rows.push_back({step, QDateTime::currentDateTime(), 1000, QStringLiteral("checkpoint-%1").arg(step)});
    m_checkpoints->setCheckpoints(rows);
    m_checkpoints->setSamples({{100, 0, 0.05}, {200, 0, 0.01}, {300, 0, 0.03}});
    m_view->launchPanel()->setCheckpointModel(m_checkpoints);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void EvalViewTest::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

void EvalViewTest::pickerPrefersTheBestCheckpoint()
{
    EvalLaunchPanel *panel = m_view->launchPanel();
    QCOMPARE(panel->checkpointBox()->count(), 3);
    QCOMPARE(panel->selectedCheckpoint(), QStringLiteral("checkpoint-200"));
    QVERIFY2(panel->checkpointBox()->currentText().contains(QStringLiteral("best")), qPrintable(panel->checkpointBox()->currentText()));
    // The user's pick survives a refresh; a pruned pick falls back to the best.
    panel->selectCheckpoint(QStringLiteral("checkpoint-300"));
    m_checkpoints->setSamples({{100, 0, 0.05}, {200, 0, 0.01}, {300, 0, 0.03}, {400, 0, 0.02}});
    QCOMPARE(panel->selectedCheckpoint(), QStringLiteral("checkpoint-300"));
    m_checkpoints->setCheckpoints({{100, QDateTime(), 1, QStringLiteral("checkpoint-100")}, {200, QDateTime(), 1, QStringLiteral("checkpoint-200")}});
    QCOMPARE(panel->selectedCheckpoint(), QStringLiteral("checkpoint-200"));
}

void EvalViewTest::launchAndCancelCarryTheChoices()
{
    EvalLaunchPanel *panel = m_view->launchPanel();
    QSignalSpy launched(panel, &EvalLaunchPanel::launchRequested);
    QSignalSpy cancelled(panel, &EvalLaunchPanel::cancelRequested);
    panel->findChild<QLineEdit *>()->setText(QStringLiteral("0-4, 7"));
    panel->findChild<QSpinBox *>()->setValue(8);
    QTest::mouseClick(panel->launchButton(), Qt::LeftButton);
    QCOMPARE(launched.count(), 1);
    const auto options = launched.at(0).at(0).value<EvalLaunchOptions>();
    QCOMPARE(options.checkpoint, QStringLiteral("checkpoint-200"));
    QCOMPARE(options.episodes, QStringLiteral("0-4,7"));
    QCOMPARE(options.execHorizon, 8);
    QCOMPARE(options.weights, QStringLiteral("ema"));
    QVERIFY(options.recordVideo);

    panel->setRunning(true);
    QVERIFY(!panel->launchButton()->isEnabled());
    QVERIFY(panel->cancelButton()->isVisible());
    QVERIFY(!panel->checkpointBox()->isEnabled());
    panel->setProgress(2, 5, QStringLiteral("demo_1: MSE 0.02"));
    QCOMPARE(panel->findChild<QProgressBar *>()->value(), 2);
    QCOMPARE(panel->findChild<QProgressBar *>()->maximum(), 5);
    QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
    QCOMPARE(cancelled.count(), 1);
    panel->setRunning(false);
    QVERIFY(panel->launchButton()->isEnabled());
    QVERIFY(!panel->cancelButton()->isVisible());
}

void EvalViewTest::resultsTableDrivesThePlayer()
{
    QAbstractItemModelTester tester(m_view->resultsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_view->setResults(results(), evalFolder());
    EvalResultsModel *model = m_view->resultsModel();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->videoState(0), EvalVideoState::Here);
    QCOMPARE(model->videoState(1), EvalVideoState::Here);
    QCOMPARE(model->videoState(2), EvalVideoState::OnServer);
    QCOMPARE(model->index(2, EvalResultsModel::VideoColumn).data().toString(), QStringLiteral("on server"));
    QCOMPARE(model->index(1, EvalResultsModel::MseColumn).data().toString(), QStringLiteral("0.02"));
    QVERIFY2(m_view->summaryText().contains(QStringLiteral("checkpoint-200 (ema weights): 3 episodes, MSE 0.02")), qPrintable(m_view->summaryText()));

    EvalPlayer *player = m_view->player();
    QCOMPARE(player->episodes().size(), size_t(2));
    QTRY_COMPARE(paintedFrame(), 0);
    QTRY_COMPARE(player->frameCount(), kFrames[0]);

    // Sorted by MSE, highest first: episode 1 is on the table's second row.
    m_view->resultsTable()->sortByColumn(EvalResultsModel::MseColumn, Qt::DescendingOrder);
    const QModelIndex second = m_view->resultsTable()->model()->index(1, EvalResultsModel::TaskColumn);
    QTest::mouseClick(m_view->resultsTable()->viewport(), Qt::LeftButton, Qt::NoModifier,
                      m_view->resultsTable()->visualRect(second).center());
    QCOMPARE(player->currentEpisode(), 1);
    QTRY_COMPARE(player->frameCount(), kFrames[1]);
    QTRY_COMPARE(paintedFrame(), 0);
    QCOMPARE(player->actionPlot()->actions().episode, QStringLiteral("demo_1"));
    // The player's previous episode selects its row in the table.
    player->previousEpisode();
    const QModelIndex selected = m_view->resultsTable()->selectionModel()->selectedRows().value(0);
    QCOMPARE(selected.data(EvalResultsModel::EpisodeRole).toInt(), 0);
}

void EvalViewTest::videoOnTheServerIsAskedForAndJoinsWhenHere()
{
    m_view->setResults(results(), evalFolder());
    EvalPlayer *player = m_view->player();
    QTRY_COMPARE(paintedFrame(), 0);
    QSignalSpy wanted(m_view, &EvalView::videosWanted);
    m_view->playEpisode(2);
    QCOMPARE(wanted.count(), 1);
    QCOMPARE(wanted.at(0).at(0).toString(), QStringLiteral("checkpoint-200"));
    QCOMPARE(player->currentEpisode(), 0);

    // It downloads while episode 0 plays on; when it is here it joins the list.
    m_view->setVideoState(2, EvalVideoState::Downloading, 40);
    QCOMPARE(m_view->resultsModel()->index(2, EvalResultsModel::VideoColumn).data().toString(), QStringLiteral("downloading 40%"));
    player->setSpeed(0.5);
    player->play();
    QTRY_VERIFY(paintedFrame() >= 2);
    const QString error = makeCounterVideo(evalFolder() + QStringLiteral("/videos/episode_002_put_the_bowl.mp4"), VideoCodec::H264, 20, kFrames[2]);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const int before = paintedFrame();
    m_view->setVideoState(2, EvalVideoState::Here);
    QCOMPARE(player->episodes().size(), size_t(3));
    QCOMPARE(player->currentEpisode(), 0);
    QCOMPARE(player->mediaPlayer()->playbackState(), QMediaPlayer::PlayingState);
    QTRY_VERIFY(paintedFrame() > before);   // not reopened at frame 0
    m_view->playEpisode(2);
    QCOMPARE(player->currentEpisode(), 2);
    QTRY_COMPARE(player->frameCount(), kFrames[2]);
    QFile::remove(evalFolder() + QStringLiteral("/videos/episode_002_put_the_bowl.mp4"));
}

void EvalViewTest::screenshotShowsTheViewWithARealFrame()
{
    m_view->setResults(results(), evalFolder());
    EvalPlayer *player = m_view->player();
    QTRY_COMPARE(paintedFrame(), 0);
    player->seekToFrame(33);
    QTRY_COMPARE(paintedFrame(), 33);
    m_view->launchPanel()->setRunning(true);
    m_view->launchPanel()->setProgress(2, 3, QStringLiteral("demo_1: MSE 0.02"));
    QSignalSpy clear(m_view, &EvalView::clearCacheRequested);
    m_view->setCacheSize(3 * 1024 * 1024 + 512 * 1024);
    QVERIFY2(m_view->cacheText().endsWith(QStringLiteral("3.50 MiB")), qPrintable(m_view->cacheText()));
    QTest::mouseClick(m_view->findChild<QPushButton *>(QStringLiteral("clearEvalCache")), Qt::LeftButton);
    QCOMPARE(clear.count(), 1);
    QTest::qWait(100);
    const QImage shot = m_view->grab().toImage();
    QVERIFY(QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR)));
    const QString file = QStringLiteral(RDT_SCREENSHOT_DIR "/eval_view.png");
    QVERIFY(shot.save(file));
    const QRect video(player->videoView()->mapTo(m_view, QPoint(0, 0)), player->videoView()->size());
    const QSize fitted = QSize(320, 240).scaled(video.size(), Qt::KeepAspectRatio);
    const QImage picture = shot.copy(video).copy(QRect(QPoint((video.width() - fitted.width()) / 2, (video.height() - fitted.height()) / 2), fitted));
    QCOMPARE(frameIndexIn(picture), 33);
    qInfo("screenshot: %s", qPrintable(file));
}

int main(int argc, char **argv)
{
    rdt::preferFfmpegMediaBackend();
    QApplication app(argc, argv);
    EvalViewTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "gui_eval_view.moc"
