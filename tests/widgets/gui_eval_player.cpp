// The eval player on real videos made by ffmpeg at test time: H.264 at 20 fps as the
// trainer's eval writes them, MPEG-4 Part 2 at 10 and 30 fps as OpenCV writes them, and
// broken files. Each frame shows its own index in pixels, so every check of "the frame on
// screen" reads the picture the player painted, not the player's idea of its position.
#include "ActionPlot.h"
#include "EvalPlayer.h"
#include "MediaBackend.h"
#include "TransportBar.h"
#include "VideoFrameView.h"
#include "support_eval_media.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace rdt;
using namespace rdt::test;

namespace {
constexpr int kH264Frames = 60;   // 3 s at 20 fps
}

class EvalPlayerTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void opensOnItsFirstFrame();
    void playsToTheEnd();
    void seekShowsTheTargetFrame();
    void seekAfterTheEndShowsTheFrame();
    void framesStepBothWays();
    void plotCursorFollowsAndClickSeeks();
    void dimensionsCanBeHidden();
    void keysControlThePlayer();
    void loopsWhenAsked();
    void playsMpeg4Part2At10And30Fps();
    void brokenFilesShowNameAndReason();
    void truncatedFilePlaysUpToTheCutAndSaysSo();
    void badActionsFileIsNamedInThePlot();
    void screenshotShowsARealFrame();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    PlayerEpisode h264Episode() const;
    bool waitForShownFrame(int frame, int timeoutMs = 5000);
    int paintedFrame() const { return frameIndexIn(m_player->videoView()->image()); }

    QTemporaryDir m_dir;
    EvalPlayer *m_player = nullptr;
};

PlayerEpisode EvalPlayerTest::h264Episode() const
{
    return {QStringLiteral("000 demo_0: put the bowl on the plate"), path(QStringLiteral("episode_000_bowl.mp4")), path(QStringLiteral("demo_0.json"))};
}

bool EvalPlayerTest::waitForShownFrame(int frame, int timeoutMs)
{
    return QTest::qWaitFor([&] { return paintedFrame() == frame && m_player->shownFrame() == frame; }, timeoutMs);
}

void EvalPlayerTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error = makeCounterVideo(path(QStringLiteral("episode_000_bowl.mp4")), VideoCodec::H264, 20, kH264Frames);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = makeCounterVideo(path(QStringLiteral("episode_001_bowl.mp4")), VideoCodec::H264, 20, 40);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = makeCounterVideo(path(QStringLiteral("opencv_10fps.mp4")), VideoCodec::Mpeg4Part2, 10, 20);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = makeCounterVideo(path(QStringLiteral("opencv_30fps.mp4")), VideoCodec::Mpeg4Part2, 30, 60);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(writeFile(path(QStringLiteral("demo_0.json")), actionsJson(QStringLiteral("demo_0"), kH264Frames, 20)));
    QVERIFY(writeFile(path(QStringLiteral("demo_1.json")), actionsJson(QStringLiteral("demo_1"), 40, 20)));

    // A download cut short: ffmpeg writes the 'moov' index last, so the first 20 KB hold
    // only part of the frames and no index at all.
    QFile whole(path(QStringLiteral("episode_000_bowl.mp4")));
    QVERIFY(whole.open(QIODevice::ReadOnly));
    const QByteArray bytes = whole.readAll();
    QVERIFY(bytes.size() > 30000);
    QVERIFY(writeFile(path(QStringLiteral("cut_short.mp4")), bytes.left(20000)));
    QByteArray garbage(30000, '\0');
    for (int i = 0; i < garbage.size(); ++i)
        garbage[i] = char((i * 7919) % 251);
    QVERIFY(writeFile(path(QStringLiteral("garbage.mp4")), garbage));
    QVERIFY(writeFile(path(QStringLiteral("broken_actions.json")), QByteArrayLiteral("{\"fps\":20,\"dims\":[\"x\"],\"predicted\":[[1],[2,3]],\"demonstrated\":[[1],[2]]}")));
}

void EvalPlayerTest::init()
{
    m_player = new EvalPlayer;
    m_player->resize(900, 640);
    m_player->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_player));
}

void EvalPlayerTest::cleanup()
{
    delete m_player;
    m_player = nullptr;
}

void EvalPlayerTest::opensOnItsFirstFrame()
{
    m_player->setEpisodes({h264Episode()});
    QVERIFY2(waitForShownFrame(0), qPrintable(QStringLiteral("painted frame %1").arg(paintedFrame())));
    QTRY_COMPARE(m_player->mediaPlayer()->mediaStatus(), QMediaPlayer::LoadedMedia);
    QCOMPARE(m_player->mediaPlayer()->playbackState(), QMediaPlayer::PausedState);
    QCOMPARE(m_player->framesPerSecond(), 20.0);
    QCOMPARE(m_player->frameCount(), kH264Frames);
    QVERIFY(!m_player->hasError());
    QCOMPARE(m_player->actionPlot()->cursorStep(), 0);
    QVERIFY2(m_player->transportBar()->timeText().contains(QStringLiteral("step 0/59")),
             qPrintable(m_player->transportBar()->timeText()));
}

void EvalPlayerTest::playsToTheEnd()
{
    m_player->setEpisodes({h264Episode()});
    QVERIFY(waitForShownFrame(0));
    m_player->setSpeed(4.0);
    m_player->play();
    QTRY_COMPARE_WITH_TIMEOUT(m_player->mediaPlayer()->mediaStatus(), QMediaPlayer::EndOfMedia, 10000);
    QVERIFY2(paintedFrame() >= kH264Frames - 3, qPrintable(QString::number(paintedFrame())));
    QVERIFY(m_player->actionPlot()->cursorStep() >= kH264Frames - 3);
    QVERIFY2(m_player->messageText().contains(QStringLiteral("End of episode_000_bowl.mp4")), qPrintable(m_player->messageText()));
    QVERIFY(!m_player->hasError());
}

void EvalPlayerTest::seekShowsTheTargetFrame()
{
    m_player->setEpisodes({h264Episode()});
    QVERIFY(waitForShownFrame(0));
    for (int frame : {37, 5, 59, 20}) {
        m_player->seekToFrame(frame);
        QVERIFY2(waitForShownFrame(frame), qPrintable(QStringLiteral("asked %1, painted %2").arg(frame).arg(paintedFrame())));
    }
    m_player->seek(1550);   // frame 31's first millisecond
    QVERIFY2(waitForShownFrame(31), qPrintable(QString::number(paintedFrame())));
}

void EvalPlayerTest::seekAfterTheEndShowsTheFrame()
{
    m_player->setEpisodes({h264Episode()});
    QVERIFY(waitForShownFrame(0));
    m_player->setSpeed(4.0);
    m_player->play();
    QTRY_COMPARE_WITH_TIMEOUT(m_player->mediaPlayer()->mediaStatus(), QMediaPlayer::EndOfMedia, 10000);
    m_player->seekToFrame(12);
    QVERIFY2(waitForShownFrame(12), qPrintable(QString::number(paintedFrame())));
    QTest::qWait(300);
    QCOMPARE(paintedFrame(), 12);   // it stays there
    QVERIFY(!m_player->messageText().contains(QStringLiteral("End of")));
    // Play goes on from the frame on screen, not from the start.
    QSignalSpy shown(m_player, &EvalPlayer::frameShown);
    m_player->setSpeed(1.0);
    m_player->play();
    QTRY_VERIFY(paintedFrame() >= 16);
    for (const QList<QVariant> &frame : shown)
        QVERIFY2(frame.at(0).toInt() >= 12, qPrintable(QString::number(frame.at(0).toInt())));
}

void EvalPlayerTest::framesStepBothWays()
{
    m_player->setEpisodes({h264Episode()});
    QVERIFY(waitForShownFrame(0));
    m_player->seekToFrame(37);
    QVERIFY(waitForShownFrame(37));
    m_player->stepFrames(1);
    QVERIFY2(waitForShownFrame(38), qPrintable(QString::number(paintedFrame())));
    // Steps faster than frames arrive add up.
    m_player->stepFrames(1);
    m_player->stepFrames(1);
    m_player->stepFrames(1);
    QVERIFY2(waitForShownFrame(41), qPrintable(QString::number(paintedFrame())));
    m_player->stepFrames(-1);
    QVERIFY2(waitForShownFrame(40), qPrintable(QString::number(paintedFrame())));
    m_player->seekToFrame(0);
    QVERIFY(waitForShownFrame(0));
    m_player->stepFrames(-1);   // no frame before the first
    QTest::qWait(200);
    QCOMPARE(paintedFrame(), 0);
    // Stepping from playback pauses first.
    m_player->play();
    QTRY_VERIFY(paintedFrame() >= 3);
    m_player->stepFrames(1);
    QTRY_COMPARE(m_player->mediaPlayer()->playbackState(), QMediaPlayer::PausedState);
    QTest::qWait(300);
    const int stoppedAt = paintedFrame();
    QTest::qWait(300);
    QCOMPARE(paintedFrame(), stoppedAt);
}

void EvalPlayerTest::plotCursorFollowsAndClickSeeks()
{
    m_player->setEpisodes({h264Episode()});
    QVERIFY(waitForShownFrame(0));
    ActionPlot *plot = m_player->actionPlot();
    QVERIFY(plot->hasActions());
    for (int frame : {9, 44}) {
        m_player->seekToFrame(frame);
        QVERIFY(waitForShownFrame(frame));
        QCOMPARE(plot->cursorStep(), frame);
    }
    m_player->play();
    QTest::qWait(400);
    m_player->pause();
    QTRY_COMPARE(plot->cursorStep(), paintedFrame());

    QCustomPlot *canvas = plot->plot();
    const QPoint at(int(canvas->xAxis->coordToPixel(20)), canvas->axisRect()->center().y());
    QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, at);
    QVERIFY2(waitForShownFrame(20), qPrintable(QString::number(paintedFrame())));
    QCOMPARE(plot->cursorStep(), 20);
}

void EvalPlayerTest::dimensionsCanBeHidden()
{
    m_player->setEpisodes({h264Episode()});
    QVERIFY(waitForShownFrame(0));
    ActionPlot *plot = m_player->actionPlot();
    QCOMPARE(plot->actions().dims.size(), 7);
    QCOMPARE(plot->plot()->graphCount(), 14);   // predicted and demonstrated per dim
    QVERIFY(plot->isDimensionShown(6));
    plot->setDimensionShown(6, false);
    QVERIFY(!plot->isDimensionShown(6));
    QVERIFY(plot->isDimensionShown(0));
    // Without the gripper (+-1) the y range fits the other dims' +-0.55.
    QVERIFY2(plot->plot()->yAxis->range().upper < 0.7, qPrintable(QString::number(plot->plot()->yAxis->range().upper)));
}

void EvalPlayerTest::keysControlThePlayer()
{
    m_player->setEpisodes({h264Episode(), {QStringLiteral("001 demo_1"), path(QStringLiteral("episode_001_bowl.mp4")),
                                           path(QStringLiteral("demo_1.json"))}});
    QVERIFY(waitForShownFrame(0));
    m_player->setFocus();
    QTest::keyClick(m_player, Qt::Key_Period);
    QVERIFY(waitForShownFrame(1));
    QTest::keyClick(m_player, Qt::Key_Period);
    QVERIFY(waitForShownFrame(2));
    QTest::keyClick(m_player, Qt::Key_Comma);
    QVERIFY(waitForShownFrame(1));
    QTest::keyClick(m_player, Qt::Key_Right);   // + 1 s = 20 frames
    QVERIFY2(QTest::qWaitFor([&] { return paintedFrame() >= 20 && paintedFrame() <= 21; }, 5000),
             qPrintable(QString::number(paintedFrame())));
    QTest::keyClick(m_player, Qt::Key_Left);
    QVERIFY2(QTest::qWaitFor([&] { return paintedFrame() >= 0 && paintedFrame() <= 1; }, 5000),
             qPrintable(QString::number(paintedFrame())));
    QTest::keyClick(m_player, Qt::Key_Space);
    QTRY_COMPARE(m_player->mediaPlayer()->playbackState(), QMediaPlayer::PlayingState);
    QTest::keyClick(m_player, Qt::Key_Space);
    QTRY_COMPARE(m_player->mediaPlayer()->playbackState(), QMediaPlayer::PausedState);

    QTest::keyClick(m_player, Qt::Key_F);
    QVERIFY(m_player->isVideoFullScreen());
    QVERIFY(m_player->videoView()->isWindow());
    // In full screen the keys reach the video's own window.
    QTest::keyClick(m_player->videoView(), Qt::Key_Escape);
    QVERIFY(!m_player->isVideoFullScreen());
    QVERIFY(!m_player->videoView()->isWindow());

    QSignalSpy opened(m_player, &EvalPlayer::episodeOpened);
    QTest::keyClick(m_player, Qt::Key_PageDown);
    QCOMPARE(m_player->currentEpisode(), 1);
    QCOMPARE(opened.count(), 1);
    QVERIFY(waitForShownFrame(0));
    QTRY_COMPARE(m_player->frameCount(), 40);
    QCOMPARE(m_player->actionPlot()->actions().episode, QStringLiteral("demo_1"));
    QTest::keyClick(m_player, Qt::Key_PageDown);   // no episode after the last
    QCOMPARE(m_player->currentEpisode(), 1);
    QTest::keyClick(m_player, Qt::Key_PageUp);
    QCOMPARE(m_player->currentEpisode(), 0);
}

void EvalPlayerTest::loopsWhenAsked()
{
    m_player->setEpisodes({h264Episode()});
    QVERIFY(waitForShownFrame(0));
    m_player->setLoop(true);
    m_player->setSpeed(4.0);
    m_player->seekToFrame(50);
    QVERIFY(waitForShownFrame(50));
    m_player->play();
    QVERIFY2(QTest::qWaitFor([&] { return paintedFrame() >= 0 && paintedFrame() < 20; }, 10000),
             qPrintable(QString::number(paintedFrame())));
    QCOMPARE(m_player->mediaPlayer()->playbackState(), QMediaPlayer::PlayingState);
}

void EvalPlayerTest::playsMpeg4Part2At10And30Fps()
{
    m_player->setEpisodes({{QStringLiteral("opencv 10 fps"), path(QStringLiteral("opencv_10fps.mp4")), QString()},
                           {QStringLiteral("opencv 30 fps"), path(QStringLiteral("opencv_30fps.mp4")), QString()}});
    QVERIFY(waitForShownFrame(0));
    QTRY_COMPARE(m_player->framesPerSecond(), 10.0);
    QCOMPARE(m_player->frameCount(), 20);
    QVERIFY(!m_player->actionPlot()->hasActions());
    m_player->stepFrames(1);
    QVERIFY2(waitForShownFrame(1), qPrintable(QString::number(paintedFrame())));
    m_player->seekToFrame(17);
    QVERIFY2(waitForShownFrame(17), qPrintable(QString::number(paintedFrame())));
    m_player->play();
    QTRY_COMPARE_WITH_TIMEOUT(m_player->mediaPlayer()->mediaStatus(), QMediaPlayer::EndOfMedia, 10000);
    QCOMPARE(paintedFrame(), 19);

    m_player->nextEpisode();
    QVERIFY(waitForShownFrame(0));
    QTRY_COMPARE(m_player->framesPerSecond(), 30.0);
    QCOMPARE(m_player->frameCount(), 60);
    m_player->stepFrames(1);   // frame 1 starts at 33.3 ms: the rounding must land inside it
    QVERIFY2(waitForShownFrame(1), qPrintable(QString::number(paintedFrame())));
    m_player->seekToFrame(45);
    QVERIFY2(waitForShownFrame(45), qPrintable(QString::number(paintedFrame())));
    m_player->setSpeed(2.0);
    m_player->play();
    QTRY_COMPARE_WITH_TIMEOUT(m_player->mediaPlayer()->mediaStatus(), QMediaPlayer::EndOfMedia, 10000);
    QVERIFY(!m_player->hasError());
}

void EvalPlayerTest::brokenFilesShowNameAndReason()
{
    const QString missing = path(QStringLiteral("never_downloaded.mp4"));
    m_player->setEpisodes({{QStringLiteral("cut"), path(QStringLiteral("cut_short.mp4")), QString()},
                           {QStringLiteral("garbage"), path(QStringLiteral("garbage.mp4")), QString()},
                           {QStringLiteral("missing"), missing, QString()},
                           h264Episode()});
    struct Expected { QString name; QString reason; };
    const Expected expected[] = {
        {QStringLiteral("cut_short.mp4"), QStringLiteral("'moov' index a player needs is missing")},
        {QStringLiteral("garbage.mp4"), QStringLiteral("not an MP4 file")},
        {QStringLiteral("never_downloaded.mp4"), QStringLiteral("no such file")},
    };
    for (const Expected &file : expected) {
        QSignalSpy failed(m_player, &EvalPlayer::failed);
        if (file.name == QLatin1String("cut_short.mp4"))
            m_player->openEpisode(0);   // again, now that the spy listens
        else
            m_player->nextEpisode();
        QTRY_VERIFY_WITH_TIMEOUT(m_player->hasError(), 5000);
        const QString message = m_player->messageText();
        QVERIFY2(message.startsWith(file.name + QStringLiteral(": cannot play: ")), qPrintable(message));
        QVERIFY2(message.contains(m_player->mediaPlayer()->errorString()), qPrintable(message));
        QVERIFY2(message.contains(file.reason), qPrintable(message));
        QCOMPARE(failed.count(), 1);
        // Nothing to play: the controls refuse, and nothing crashes.
        m_player->play();
        m_player->stepFrames(1);
        QTest::qWait(100);
        QVERIFY(m_player->mediaPlayer()->playbackState() != QMediaPlayer::PlayingState);
        QCOMPARE(m_player->shownFrame(), -1);
    }
    // The next good episode plays as if nothing happened.
    m_player->nextEpisode();
    QVERIFY(waitForShownFrame(0));
    QVERIFY(!m_player->hasError());
    m_player->seekToFrame(10);
    QVERIFY(waitForShownFrame(10));
}

void EvalPlayerTest::truncatedFilePlaysUpToTheCutAndSaysSo()
{
    // Index first (faststart), then half the data: the player can open it and play the part
    // that is there.
    const QString whole = path(QStringLiteral("faststart.mp4"));
    QProcess ffmpeg;
    ffmpeg.start(QStringLiteral("ffmpeg"), {QStringLiteral("-loglevel"), QStringLiteral("error"), QStringLiteral("-y"),
                                            QStringLiteral("-i"), path(QStringLiteral("episode_000_bowl.mp4")),
                                            QStringLiteral("-c"), QStringLiteral("copy"), QStringLiteral("-movflags"),
                                            QStringLiteral("+faststart"), whole});
    QVERIFY(ffmpeg.waitForFinished(30000) && ffmpeg.exitCode() == 0);
    QFile file(whole);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(writeFile(path(QStringLiteral("half.mp4")), file.readAll().left(int(file.size() / 2))));

    m_player->setEpisodes({{QStringLiteral("half"), path(QStringLiteral("half.mp4")), QString()}});
    QVERIFY(waitForShownFrame(0));
    QVERIFY2(m_player->messageText().startsWith(QStringLiteral("half.mp4: truncated")), qPrintable(m_player->messageText()));
    QVERIFY2(m_player->messageText().contains(QStringLiteral("plays up to the cut")), qPrintable(m_player->messageText()));
    m_player->setSpeed(4.0);
    m_player->play();
    QTRY_COMPARE_WITH_TIMEOUT(m_player->mediaPlayer()->mediaStatus(), QMediaPlayer::EndOfMedia, 10000);
    QVERIFY(paintedFrame() > 0);
    QVERIFY(m_player->messageText().contains(QStringLiteral("truncated")));
}

void EvalPlayerTest::badActionsFileIsNamedInThePlot()
{
    PlayerEpisode episode = h264Episode();
    episode.actionsPath = path(QStringLiteral("broken_actions.json"));
    m_player->setEpisodes({episode});
    QVERIFY(waitForShownFrame(0));   // the video plays without its plot
    QVERIFY(!m_player->actionPlot()->hasActions());
    const QLabel *placeholder = m_player->actionPlot()->findChild<QLabel *>();
    QVERIFY(placeholder);
    QVERIFY2(placeholder->text().contains(QStringLiteral("broken_actions.json")), qPrintable(placeholder->text()));
    QVERIFY2(placeholder->text().contains(QStringLiteral("\"predicted\"[1] has 2 numbers, expected 1")), qPrintable(placeholder->text()));
}

void EvalPlayerTest::screenshotShowsARealFrame()
{
    m_player->setEpisodes({h264Episode(), {QStringLiteral("001 demo_1"), path(QStringLiteral("episode_001_bowl.mp4")),
                                           path(QStringLiteral("demo_1.json"))}});
    QVERIFY(waitForShownFrame(0));
    m_player->seekToFrame(25);
    QVERIFY(waitForShownFrame(25));
    QTest::qWait(100);   // the plot's queued replot
    const QImage shot = m_player->grab().toImage();
    QVERIFY(QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR)));
    const QString file = QStringLiteral(RDT_SCREENSHOT_DIR "/eval_player.png");
    QVERIFY(shot.save(file));
    // The screenshot itself carries the frame: read the index from its video area.
    const QRect video(m_player->videoView()->mapTo(m_player, QPoint(0, 0)), m_player->videoView()->size());
    const QImage area = shot.copy(video);
    const QSize fitted = QSize(320, 240).scaled(video.size(), Qt::KeepAspectRatio);
    const QImage picture = area.copy(QRect(QPoint((area.width() - fitted.width()) / 2, (area.height() - fitted.height()) / 2), fitted));
    QCOMPARE(frameIndexIn(picture), 25);
    qInfo("screenshot: %s", qPrintable(file));
}

int main(int argc, char **argv)
{
    rdt::preferFfmpegMediaBackend();
    QApplication app(argc, argv);
    EvalPlayerTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "gui_eval_player.moc"
