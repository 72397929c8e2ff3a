// The player's controls: previous episode, frame back, play/pause, frame forward, next
// episode, the seek slider with the time and frame, speed (0.25x to 4x), loop and full
// screen. It only shows state and emits what the user asked for; EvalPlayer acts on it.
#pragma once

#include <QStyle>
#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace rdt {

class TransportBar : public QWidget {
    Q_OBJECT
public:
    explicit TransportBar(QWidget *parent = nullptr);

    static const QList<double> &speeds();   // 0.25 ... 4

    void setDuration(qint64 durationMs);
    void setPosition(qint64 positionMs);    // ignored while the user drags the slider
    void setFrame(int frame, int frames);   // frames <= 0: unknown
    void setPlaying(bool playing);
    void setSpeed(double speed);            // shows the nearest offered speed
    void setLoop(bool loop);
    void setEpisodeNavigation(bool hasPrevious, bool hasNext);
    void setMediaControlsEnabled(bool enabled);

    QString timeText() const;
    QSlider *slider() const { return m_slider; }

signals:
    void playPauseClicked();
    void stepClicked(int frames);           // -1 or +1
    void previousEpisodeClicked();
    void nextEpisodeClicked();
    void seekRequested(qint64 positionMs);
    void speedChosen(double speed);
    void loopToggled(bool loop);
    void fullScreenClicked();

private:
    QToolButton *addButton(QStyle::StandardPixmap icon, const QString &toolTip);
    void showTime();

    QToolButton *m_previous = nullptr;
    QToolButton *m_stepBack = nullptr;
    QToolButton *m_playPause = nullptr;
    QToolButton *m_stepForward = nullptr;
    QToolButton *m_next = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_time = nullptr;
    QComboBox *m_speed = nullptr;
    QToolButton *m_loop = nullptr;
    QToolButton *m_fullScreen = nullptr;
    qint64 m_durationMs = 0;
    qint64 m_positionMs = 0;
    int m_frame = -1;
    int m_frames = 0;
};

} // namespace rdt
