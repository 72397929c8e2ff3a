// The embedded eval video player: the episode's video (QMediaPlayer on the FFmpeg backend),
// its transport bar, and the plot of predicted vs demonstrated actions whose cursor follows
// the frame on screen. Keys: Space play/pause, Left/Right one second, comma/period one
// frame, Home/End, Page Up/Down previous/next episode, F full screen, Esc leaves it.
// A file that cannot play shows its name and the reason; nothing it contains can crash us.
#pragma once

#include "PlayerEpisode.h"

#include <QMediaPlayer>
#include <QWidget>

#include <vector>

class QLabel;
class QVideoFrame;

namespace rdt {

class ActionPlot;
class TransportBar;
class VideoFrameView;

class EvalPlayer : public QWidget {
    Q_OBJECT
public:
    explicit EvalPlayer(QWidget *parent = nullptr);
    ~EvalPlayer() override;

    void setEpisodes(std::vector<PlayerEpisode> episodes, int current = 0);
    const std::vector<PlayerEpisode> &episodes() const { return m_episodes; }
    int currentEpisode() const { return m_current; }
    void openEpisode(int index);   // shows the first frame, paused

    void play();
    void pause();
    void togglePlay();
    void stepFrames(int frames);   // pauses, then shows the frame `frames` away from the one on screen
    void seek(qint64 positionMs);  // shows that moment's frame, playing or not
    void seekToFrame(int frame);
    void setSpeed(double speed);
    void setLoop(bool loop);
    bool loops() const { return m_loop; }
    void setFullScreen(bool fullScreen);
    bool isVideoFullScreen() const;
    void previousEpisode();
    void nextEpisode();

    double framesPerSecond() const { return m_fps; }
    int frameCount() const;
    int shownFrame() const { return m_shownFrame; }   // -1 before the first frame
    // The status line under the video: errors ("<file>: <reason>"), warnings and states.
    QString messageText() const;
    bool hasError() const { return m_failed; }

    QMediaPlayer *mediaPlayer() const { return m_player; }
    VideoFrameView *videoView() const { return m_view; }
    ActionPlot *actionPlot() const { return m_plot; }
    TransportBar *transportBar() const { return m_transport; }

signals:
    void frameShown(int frame);
    void episodeOpened(int index);
    void failed(const QString &message);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    bool handleKey(QKeyEvent *event);
    void mediaStatusChanged(QMediaPlayer::MediaStatus status);
    void playbackStateChanged(QMediaPlayer::PlaybackState state);
    void mediaError(QMediaPlayer::Error error, const QString &errorString);
    void frameArrived(const QVideoFrame &frame);
    void loadActions(const PlayerEpisode &episode);
    void showMessage(const QString &text, bool isError);
    void showTitle();
    QString fileName() const;
    int lastFrame() const;
    qint64 positionOfFrame(int frame) const;

    QMediaPlayer *m_player = nullptr;
    VideoFrameView *m_view = nullptr;
    TransportBar *m_transport = nullptr;
    ActionPlot *m_plot = nullptr;
    QLabel *m_title = nullptr;     // the episode's title, and where it stands in the list
    QLabel *m_message = nullptr;
    std::vector<PlayerEpisode> m_episodes;
    int m_current = -1;
    double m_fps = 20.0;           // the video's; from its metadata, else the actions file's
    int m_shownFrame = -1;
    int m_requestedFrame = -1;     // a step's target until its frame arrives, so fast steps add up
    bool m_loop = false;
    bool m_wantsPlaying = false;   // the user's play/pause, which the backend's state can lag or contradict
    bool m_failed = false;
    QString m_warning;             // a truncated file that still plays: kept beside state messages
};

} // namespace rdt
