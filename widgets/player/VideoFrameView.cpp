// Frames arrive on the GUI thread (QVideoSink::videoFrameChanged is queued by the backend).
#include "VideoFrameView.h"

#include <QPainter>
#include <QVideoSink>

namespace rdt {

VideoFrameView::VideoFrameView(QWidget *parent) : QWidget(parent), m_sink(new QVideoSink(this))
{
    setMinimumSize(160, 120);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent);
    connect(m_sink, &QVideoSink::videoFrameChanged, this, &VideoFrameView::showFrame);
}

void VideoFrameView::clear()
{
    m_image = QImage();
    update();
}

void VideoFrameView::showFrame(const QVideoFrame &frame)
{
    if (!frame.isValid())
        return;   // the backend sends an empty frame when it stops; keep the last picture
    m_image = frame.toImage();
    update();
    emit frameShown(frame);
}

void VideoFrameView::setFullScreen(bool fullScreen)
{
    if (fullScreen == m_fullScreen)
        return;
    m_fullScreen = fullScreen;
    if (fullScreen) {
        m_normalFlags = windowFlags();
        setWindowFlags(m_normalFlags | Qt::Window);
        showFullScreen();
    } else {
        setWindowFlags(m_normalFlags);
        showNormal();
    }
    emit fullScreenChanged(fullScreen);
}

void VideoFrameView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), Qt::black);
    if (m_image.isNull())
        return;
    const QSize fitted = m_image.size().scaled(size(), Qt::KeepAspectRatio);
    const QRect target(QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(target, m_image);
}

} // namespace rdt
