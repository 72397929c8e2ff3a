// Frame numbers come from the frame on screen (its start time), not from the player's
// position, which lags behind the picture while playing: the plot's cursor and a frame step
// always start from what the user sees.
#include "EvalPlayer.h"

#include "ActionPlot.h"
#include "EvalActions.h"
#include "TransportBar.h"
#include "VideoFileCheck.h"
#include "VideoFrameView.h"

#include <QFileInfo>
#include <QKeyEvent>
#include <QLabel>
#include <QMediaMetaData>
#include <QSplitter>
#include <QVBoxLayout>
#include <QVideoFrame>

#include <cmath>

namespace rdt {

namespace {

// Left/Right jump one second: eval episodes last seconds (a few hundred steps at 20 fps),
// so the five or ten seconds of film players would skip most of one.
constexpr qint64 kArrowJumpMs = 1000;

// Tolerance for floating-point frame times (a 30 fps frame starts at 33.333... ms).
constexpr double kFrameEpsilon = 1e-3;

} // namespace

EvalPlayer::EvalPlayer(QWidget *parent)
    : QWidget(parent), m_player(new QMediaPlayer(this))
{
    setFocusPolicy(Qt::StrongFocus);
    m_view = new VideoFrameView(this);
    m_view->installEventFilter(this);   // keys still work while the video is full screen
    m_player->setVideoSink(m_view->videoSink());
    m_transport = new TransportBar(this);
    m_title = new QLabel(this);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    m_plot = new ActionPlot(this);
    m_plot->clear(tr("No episode open"));

    auto *videoPart = new QWidget(this);
    auto *videoLayout = new QVBoxLayout(videoPart);
    videoLayout->setContentsMargins(0, 0, 0, 0);
    videoLayout->addWidget(m_title);
    videoLayout->addWidget(m_view, 1);
    videoLayout->addWidget(m_message);
    videoLayout->addWidget(m_transport);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(videoPart);
    splitter->addWidget(m_plot);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_player, &QMediaPlayer::mediaStatusChanged, this, &EvalPlayer::mediaStatusChanged);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, &EvalPlayer::playbackStateChanged);
    connect(m_player, &QMediaPlayer::errorOccurred, this, &EvalPlayer::mediaError);
    connect(m_player, &QMediaPlayer::durationChanged, m_transport, &TransportBar::setDuration);
    connect(m_player, &QMediaPlayer::positionChanged, m_transport, &TransportBar::setPosition);
    connect(m_view, &VideoFrameView::frameShown, this, &EvalPlayer::frameArrived);
    connect(m_transport, &TransportBar::playPauseClicked, this, &EvalPlayer::togglePlay);
    connect(m_transport, &TransportBar::stepClicked, this, &EvalPlayer::stepFrames);
    connect(m_transport, &TransportBar::previousEpisodeClicked, this, &EvalPlayer::previousEpisode);
    connect(m_transport, &TransportBar::nextEpisodeClicked, this, &EvalPlayer::nextEpisode);
    connect(m_transport, &TransportBar::seekRequested, this, &EvalPlayer::seek);
    connect(m_transport, &TransportBar::speedChosen, this, &EvalPlayer::setSpeed);
    connect(m_transport, &TransportBar::loopToggled, this, &EvalPlayer::setLoop);
    connect(m_transport, &TransportBar::fullScreenClicked, this, [this] { setFullScreen(!isVideoFullScreen()); });
    connect(m_plot, &ActionPlot::stepClicked, this, [this](int step) {
        seek(m_plot->actions().positionOf(step));
    });
}

EvalPlayer::~EvalPlayer()
{
    // Stop decoding before the sink (a child of m_view) goes away.
    m_player->stop();
    m_player->setVideoSink(nullptr);
}

void EvalPlayer::setEpisodes(std::vector<PlayerEpisode> episodes, int current)
{
    const QString onScreen = m_current >= 0 ? m_episodes[size_t(m_current)].videoPath : QString();
    m_episodes = std::move(episodes);
    m_current = -1;
    if (!m_episodes.empty()) {
        current = std::clamp(current, 0, int(m_episodes.size()) - 1);
        // The same video stays current (the list grew as downloads arrived): leave it playing.
        if (!onScreen.isEmpty() && m_episodes[size_t(current)].videoPath == onScreen && !m_failed) {
            m_current = current;
            m_transport->setEpisodeNavigation(current > 0, current + 1 < int(m_episodes.size()));
            showTitle();
            return;
        }
    }
    if (m_episodes.empty()) {
        m_player->stop();
        m_player->setSource(QUrl());
        m_view->clear();
        m_plot->clear(tr("No episode open"));
        m_title->clear();
        m_transport->setEpisodeNavigation(false, false);
        return;
    }
    openEpisode(current);
}

void EvalPlayer::openEpisode(int index)
{
    if (index < 0 || index >= int(m_episodes.size()))
        return;
    m_current = index;
    const PlayerEpisode &episode = m_episodes[size_t(index)];
    m_failed = false;
    m_warning.clear();
    m_shownFrame = -1;
    m_requestedFrame = -1;
    m_wantsPlaying = false;
    m_view->clear();
    m_transport->setMediaControlsEnabled(false);
    m_transport->setFrame(-1, 0);
    m_transport->setEpisodeNavigation(index > 0, index + 1 < int(m_episodes.size()));
    showTitle();
    loadActions(episode);

    // Qt reports a broken MP4 only as "Could not open file"; our own look at its boxes says
    // why, and a truncated file that still plays in part is flagged while it plays.
    const VideoFileCheck check = VideoFileCheck::inspect(episode.videoPath);
    if (check.verdict != VideoFileCheck::Verdict::Fine)
        m_warning = check.reason;

    m_player->stop();
    // Through an empty source: QMediaPlayer ignores the source it already has, and a file
    // downloaded again under the same name must be read again.
    m_player->setSource(QUrl());
    m_player->setSource(QUrl::fromLocalFile(episode.videoPath));
    m_player->pause();   // paused on a source shows its first frame without playing
    emit episodeOpened(index);
}

void EvalPlayer::loadActions(const PlayerEpisode &episode)
{
    if (episode.actionsPath.isEmpty()) {
        m_plot->clear(tr("No actions recorded for this episode"));
        return;
    }
    const Result<EvalActions> actions = EvalActions::load(episode.actionsPath);
    if (!actions) {
        m_plot->clear(actions.error().message);
        return;
    }
    m_plot->setActions(*actions);
}

void EvalPlayer::play()
{
    if (m_failed || m_current < 0)
        return;
    m_wantsPlaying = true;
    // Stopped (at the end, or by the backend's early end, see mediaStatusChanged) on a frame
    // before the last: go on from that frame, not from the start.
    const bool resume = m_player->playbackState() == QMediaPlayer::StoppedState && m_shownFrame >= 0
                        && m_shownFrame < lastFrame();
    m_player->play();
    if (resume)
        m_player->setPosition(positionOfFrame(m_shownFrame));
}

void EvalPlayer::pause()
{
    if (m_failed || m_current < 0)
        return;
    m_wantsPlaying = false;
    m_player->pause();
}

void EvalPlayer::togglePlay()
{
    if (m_player->playbackState() == QMediaPlayer::PlayingState)
        pause();
    else
        play();
}

void EvalPlayer::stepFrames(int frames)
{
    if (m_failed || m_current < 0)
        return;
    if (m_player->playbackState() == QMediaPlayer::PlayingState)
        pause();
    const int from = m_requestedFrame >= 0 ? m_requestedFrame : std::max(0, m_shownFrame);
    seekToFrame(std::clamp(from + frames, 0, lastFrame()));
}

void EvalPlayer::seekToFrame(int frame)
{
    m_requestedFrame = frame;
    seek(positionOfFrame(frame));
}

qint64 EvalPlayer::positionOfFrame(int frame) const
{
    // Qt 6.4's FFmpeg backend shows the first frame starting at or after the position, so
    // the millisecond at or just before the frame's start (33 ms for 33.3 at 30 fps).
    return qint64(std::floor(double(frame) * 1000.0 / m_fps + kFrameEpsilon));
}

void EvalPlayer::seek(qint64 positionMs)
{
    if (m_failed || m_current < 0)
        return;
    // Qt 6.4.2's FFmpeg backend shows no frame for a seek while paused once it has shown
    // the last frame, or after it played and paused again, or once it stopped at the end.
    // Restarting its decoder (stop, play, pause: a few milliseconds) makes every paused
    // seek show its frame; the stop's empty frame is ignored by the view.
    // At the end the backend reports EndOfMedia before its state leaves Playing: that
    // counts as stopped too.
    if (m_player->playbackState() != QMediaPlayer::PlayingState || m_player->mediaStatus() == QMediaPlayer::EndOfMedia) {
        m_wantsPlaying = false;
        m_player->stop();
        m_player->play();
        m_player->pause();
    }
    const qint64 duration = m_player->duration();
    m_player->setPosition(duration > 0 ? std::clamp<qint64>(positionMs, 0, duration) : std::max<qint64>(0, positionMs));
}

void EvalPlayer::setSpeed(double speed)
{
    speed = std::clamp(speed, 0.25, 4.0);
    m_player->setPlaybackRate(speed);
    m_transport->setSpeed(speed);
}

void EvalPlayer::setLoop(bool loop)
{
    m_loop = loop;
    m_transport->setLoop(loop);
}

void EvalPlayer::setFullScreen(bool fullScreen)
{
    m_view->setFullScreen(fullScreen);
    if (!fullScreen)
        setFocus();
}

bool EvalPlayer::isVideoFullScreen() const
{
    return m_view->isFullScreenView();
}

void EvalPlayer::previousEpisode()
{
    if (m_current > 0)
        openEpisode(m_current - 1);
}

void EvalPlayer::nextEpisode()
{
    if (m_current + 1 < int(m_episodes.size()))
        openEpisode(m_current + 1);
}

int EvalPlayer::frameCount() const
{
    const qint64 duration = m_player->duration();
    return duration > 0 ? int(std::round(double(duration) * m_fps / 1000.0)) : 0;
}

int EvalPlayer::lastFrame() const
{
    return std::max(0, frameCount() - 1);
}

QString EvalPlayer::messageText() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

void EvalPlayer::showTitle()
{
    m_title->setText(tr("%1   (episode %2 of %3)").arg(m_episodes[size_t(m_current)].title).arg(m_current + 1)
                         .arg(m_episodes.size()));
}

QString EvalPlayer::fileName() const
{
    return m_current >= 0 ? QFileInfo(m_episodes[size_t(m_current)].videoPath).fileName() : QString();
}

void EvalPlayer::showMessage(const QString &text, bool isError)
{
    QString shown = text;
    if (!isError && !m_warning.isEmpty())
        shown = fileName() + QStringLiteral(": ") + m_warning + (text.isEmpty() ? QString() : QStringLiteral("\n") + text);
    m_message->setStyleSheet(isError ? QStringLiteral("QLabel { color: #b00020; }") : QString());
    m_message->setText(shown);
    m_message->setVisible(!shown.isEmpty());
}

void EvalPlayer::mediaStatusChanged(QMediaPlayer::MediaStatus status)
{
    if (m_failed)
        return;   // Qt 6.4 goes on to LoadedMedia after an error: keep the error on screen
    const QString name = fileName();
    switch (status) {
    case QMediaPlayer::NoMedia:
        showMessage(m_current >= 0 ? tr("%1: no media").arg(name) : QString(), false);
        break;
    case QMediaPlayer::LoadingMedia:
        showMessage(tr("Opening %1…").arg(name), false);
        break;
    case QMediaPlayer::LoadedMedia: {
        const QVariant rate = m_player->metaData().value(QMediaMetaData::VideoFrameRate);
        const double fromFile = rate.isValid() ? rate.toDouble() : 0.0;
        m_fps = fromFile > 0.0 ? fromFile : (m_plot->hasActions() ? m_plot->actions().fps : 20.0);
        m_transport->setMediaControlsEnabled(true);
        m_transport->setFrame(std::max(0, m_shownFrame), frameCount());
        showMessage(QString(), false);
        break;
    }
    case QMediaPlayer::StalledMedia:
        showMessage(tr("%1: waiting for data").arg(name), false);
        break;
    case QMediaPlayer::BufferingMedia:
        showMessage(tr("Buffering %1…").arg(name), false);
        break;
    case QMediaPlayer::BufferedMedia:
        showMessage(QString(), false);
        break;
    case QMediaPlayer::EndOfMedia:
        // Qt 6.4.2's FFmpeg backend also says EndOfMedia (and stops) while paused, once its
        // read-ahead reaches the end of a short file: the frame on screen stays, and play()
        // resumes from it. Only an end reached while playing is the end.
        if (!m_wantsPlaying)
            break;
        m_wantsPlaying = m_loop;
        if (m_loop) {
            m_player->setPosition(0);
            m_player->play();
        } else {
            showMessage(tr("End of %1").arg(name), false);
        }
        break;
    case QMediaPlayer::InvalidMedia: {
        QString reason = m_player->errorString();
        if (reason.isEmpty())
            reason = tr("not a playable video");
        mediaError(QMediaPlayer::FormatError, reason);
        break;
    }
    }
}

void EvalPlayer::mediaError(QMediaPlayer::Error, const QString &errorString)
{
    if (m_failed)
        return;
    m_failed = true;
    QString message = tr("%1: cannot play: %2").arg(fileName(), errorString.isEmpty() ? tr("unknown error") : errorString);
    if (!m_warning.isEmpty())
        message += QStringLiteral(" (") + m_warning + QLatin1Char(')');
    m_transport->setMediaControlsEnabled(false);
    m_transport->setPlaying(false);
    showMessage(message, true);
    emit failed(message);
}

void EvalPlayer::playbackStateChanged(QMediaPlayer::PlaybackState state)
{
    m_transport->setPlaying(state == QMediaPlayer::PlayingState);
}

void EvalPlayer::frameArrived(const QVideoFrame &frame)
{
    const double seconds = frame.startTime() >= 0 ? double(frame.startTime()) / 1e6 : double(m_player->position()) / 1e3;
    m_shownFrame = int(std::floor(seconds * m_fps + kFrameEpsilon));
    m_requestedFrame = -1;
    if (m_plot->hasActions())
        m_plot->setCursorStep(int(std::floor(seconds * m_plot->actions().fps + kFrameEpsilon)));
    m_transport->setFrame(m_shownFrame, frameCount());
    emit frameShown(m_shownFrame);
}

void EvalPlayer::keyPressEvent(QKeyEvent *event)
{
    if (!handleKey(event))
        QWidget::keyPressEvent(event);
}

bool EvalPlayer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress && handleKey(static_cast<QKeyEvent *>(event)))
        return true;
    return QWidget::eventFilter(watched, event);
}

bool EvalPlayer::handleKey(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Space: togglePlay(); return true;
    case Qt::Key_Left: seek(m_player->position() - kArrowJumpMs); return true;
    case Qt::Key_Right: seek(m_player->position() + kArrowJumpMs); return true;
    case Qt::Key_Comma: stepFrames(-1); return true;
    case Qt::Key_Period: stepFrames(1); return true;
    case Qt::Key_Home: seek(0); return true;
    case Qt::Key_End: seekToFrame(lastFrame()); return true;
    case Qt::Key_PageUp: previousEpisode(); return true;
    case Qt::Key_PageDown: nextEpisode(); return true;
    case Qt::Key_F: setFullScreen(!isVideoFullScreen()); return true;
    case Qt::Key_Escape:
        if (!isVideoFullScreen())
            return false;
        setFullScreen(false);
        return true;
    default: return false;
    }
}

} // namespace rdt
