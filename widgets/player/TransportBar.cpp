// Button icons are the style's standard media pixmaps: they need no icon theme (the
// offscreen platform and minimal desktops have none) and no font with media symbols.
#include "TransportBar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

#include <cmath>

namespace rdt {

namespace {

QString clock(qint64 ms)
{
    ms = std::max<qint64>(0, ms);
    return QStringLiteral("%1:%2.%3").arg(ms / 60000).arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'))
        .arg((ms % 1000) / 10, 2, 10, QLatin1Char('0'));
}

} // namespace

const QList<double> &TransportBar::speeds()
{
    static const QList<double> offered{0.25, 0.5, 1.0, 1.5, 2.0, 4.0};
    return offered;
}

TransportBar::TransportBar(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_previous = addButton(QStyle::SP_MediaSkipBackward, tr("Previous episode (Page Up)"));
    m_stepBack = addButton(QStyle::SP_MediaSeekBackward, tr("One frame back (,)"));
    m_playPause = addButton(QStyle::SP_MediaPlay, tr("Play (Space)"));
    m_stepForward = addButton(QStyle::SP_MediaSeekForward, tr("One frame forward (.)"));
    m_next = addButton(QStyle::SP_MediaSkipForward, tr("Next episode (Page Down)"));
    for (QToolButton *button : {m_previous, m_stepBack, m_playPause, m_stepForward, m_next})
        layout->addWidget(button);

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setToolTip(tr("Seek (Left/Right: one second)"));
    m_slider->setRange(0, 0);
    m_slider->setFocusPolicy(Qt::NoFocus);   // arrows seek through the player's own keys
    layout->addWidget(m_slider, 1);
    m_time = new QLabel(this);
    m_time->setMinimumWidth(m_time->fontMetrics().horizontalAdvance(QStringLiteral("0:00.00 / 0:00.00  step 0000/0000")));
    layout->addWidget(m_time);

    m_speed = new QComboBox(this);
    m_speed->setToolTip(tr("Playback speed"));
    for (double speed : speeds())
        m_speed->addItem(QStringLiteral("%1x").arg(speed), speed);
    layout->addWidget(m_speed);
    m_loop = addButton(QStyle::SP_BrowserReload, tr("Loop the episode"));
    m_loop->setCheckable(true);
    layout->addWidget(m_loop);
    m_fullScreen = addButton(QStyle::SP_TitleBarMaxButton, tr("Full screen (F; Esc leaves)"));
    layout->addWidget(m_fullScreen);

    connect(m_playPause, &QToolButton::clicked, this, &TransportBar::playPauseClicked);
    connect(m_stepBack, &QToolButton::clicked, this, [this] { emit stepClicked(-1); });
    connect(m_stepForward, &QToolButton::clicked, this, [this] { emit stepClicked(1); });
    connect(m_previous, &QToolButton::clicked, this, &TransportBar::previousEpisodeClicked);
    connect(m_next, &QToolButton::clicked, this, &TransportBar::nextEpisodeClicked);
    connect(m_slider, &QSlider::sliderMoved, this, [this](int value) { emit seekRequested(value); });
    // A click on the groove pages the slider; it moves without sliderMoved.
    connect(m_slider, &QSlider::actionTriggered, this, [this](int action) {
        if (action != QAbstractSlider::SliderMove && action != QAbstractSlider::SliderNoAction)
            emit seekRequested(m_slider->sliderPosition());
    });
    connect(m_speed, &QComboBox::activated, this, [this](int index) {
        emit speedChosen(m_speed->itemData(index).toDouble());
    });
    connect(m_loop, &QToolButton::toggled, this, &TransportBar::loopToggled);
    connect(m_fullScreen, &QToolButton::clicked, this, &TransportBar::fullScreenClicked);
    setSpeed(1.0);
    setMediaControlsEnabled(false);
    setEpisodeNavigation(false, false);
    showTime();
}

QToolButton *TransportBar::addButton(QStyle::StandardPixmap icon, const QString &toolTip)
{
    auto *button = new QToolButton(this);
    button->setIcon(style()->standardIcon(icon));
    button->setToolTip(toolTip);
    button->setAutoRaise(true);
    button->setFocusPolicy(Qt::NoFocus);   // the keys belong to the player, not to a button
    return button;
}

void TransportBar::setDuration(qint64 durationMs)
{
    m_durationMs = durationMs;
    m_slider->setRange(0, int(std::min<qint64>(durationMs, std::numeric_limits<int>::max())));
    m_slider->setPageStep(int(std::max<qint64>(1, durationMs / 10)));
    showTime();
}

void TransportBar::setPosition(qint64 positionMs)
{
    m_positionMs = positionMs;
    if (!m_slider->isSliderDown())
        m_slider->setValue(int(positionMs));
    showTime();
}

void TransportBar::setFrame(int frame, int frames)
{
    m_frame = frame;
    m_frames = frames;
    showTime();
}

void TransportBar::setPlaying(bool playing)
{
    m_playPause->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_playPause->setToolTip(playing ? tr("Pause (Space)") : tr("Play (Space)"));
}

void TransportBar::setSpeed(double speed)
{
    int nearest = 0;
    for (int i = 1; i < speeds().size(); ++i)
        if (std::abs(speeds().at(i) - speed) < std::abs(speeds().at(nearest) - speed))
            nearest = i;
    m_speed->setCurrentIndex(nearest);
}

void TransportBar::setLoop(bool loop)
{
    m_loop->setChecked(loop);
}

void TransportBar::setEpisodeNavigation(bool hasPrevious, bool hasNext)
{
    m_previous->setEnabled(hasPrevious);
    m_next->setEnabled(hasNext);
}

void TransportBar::setMediaControlsEnabled(bool enabled)
{
    for (QWidget *control : std::initializer_list<QWidget *>{m_stepBack, m_playPause, m_stepForward, m_slider})
        control->setEnabled(enabled);
}

QString TransportBar::timeText() const
{
    return m_time->text();
}

void TransportBar::showTime()
{
    QString text = clock(m_positionMs) + QStringLiteral(" / ") + clock(m_durationMs);
    if (m_frame >= 0)
        // Steps count from 0, as in the actions file and the video's own counter.
        text += m_frames > 0 ? tr("  step %1/%2").arg(m_frame).arg(m_frames - 1) : tr("  step %1").arg(m_frame);
    m_time->setText(text);
}

} // namespace rdt
