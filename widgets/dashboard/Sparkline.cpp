// Painting of the sparkline: a polyline over a translucent fill, scaled to the widget.
#include "Sparkline.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace rdt {

Sparkline::Sparkline(double minimum, double maximum, int capacity, const QColor &colour, QWidget *parent)
    : QWidget(parent), m_minimum(minimum), m_maximum(maximum), m_capacity(std::max(2, capacity)), m_colour(colour)
{
    setMinimumSize(60, 16);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void Sparkline::addValue(double value)
{
    m_values.push_back(value);
    while (int(m_values.size()) > m_capacity)
        m_values.pop_front();
    update();
}

void Sparkline::clear()
{
    m_values.clear();
    update();
}

void Sparkline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(1, 2, -1, -1);
    painter.fillRect(area, QColor(0xf3, 0xf4, 0xf6));
    if (m_values.size() < 2)
        return;
    // A fixed number of slots, so the line scrolls left at a steady pace as values come.
    const double slot = area.width() / double(m_capacity - 1);
    const double x0 = area.right() - slot * double(m_values.size() - 1);
    const double span = m_maximum > m_minimum ? m_maximum - m_minimum : 1.0;
    QPainterPath line;
    for (size_t i = 0; i < m_values.size(); ++i) {
        const double ratio = std::clamp((m_values[i] - m_minimum) / span, 0.0, 1.0);
        const QPointF point(x0 + slot * double(i), area.bottom() - ratio * area.height());
        if (i == 0)
            line.moveTo(point);
        else
            line.lineTo(point);
    }
    QPainterPath fill = line;
    fill.lineTo(area.right(), area.bottom());
    fill.lineTo(x0, area.bottom());
    fill.closeSubpath();
    QColor tint = m_colour;
    tint.setAlpha(50);
    painter.fillPath(fill, tint);
    painter.setPen(QPen(m_colour, 1.4));
    painter.drawPath(line);
}

} // namespace rdt
