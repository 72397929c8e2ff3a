// Paints the frames a QMediaPlayer delivers to its QVideoSink, scaled to fit, black bars
// around. Used instead of QVideoWidget: Qt 6.4's QVideoWidget draws through a native
// window container, which QWidget::grab() cannot capture (screenshots and the offscreen
// platform get a blank rectangle) and which sits badly in tabs; eval videos are small
// (LIBERO's 128-256 px), so converting each frame to a QImage costs little.
#pragma once

#include <QImage>
#include <QVideoFrame>
#include <QWidget>

class QVideoSink;

namespace rdt {

class VideoFrameView : public QWidget {
    Q_OBJECT
public:
    explicit VideoFrameView(QWidget *parent = nullptr);

    QVideoSink *videoSink() const { return m_sink; }
    const QImage &image() const { return m_image; }   // the frame on screen; null before the first
    void clear();

    // Full screen turns this widget into a window of its own and back, as QVideoWidget does.
    void setFullScreen(bool fullScreen);
    bool isFullScreenView() const { return m_fullScreen; }

signals:
    void frameShown(const QVideoFrame &frame);
    void fullScreenChanged(bool fullScreen);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void showFrame(const QVideoFrame &frame);

    QVideoSink *m_sink = nullptr;
    QImage m_image;
    bool m_fullScreen = false;
    Qt::WindowFlags m_normalFlags;
};

} // namespace rdt
