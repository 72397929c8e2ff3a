// The plot's colours: grey axes and text on a faint grid, so the runs' colours stand out.
#include "PlotPanelStyle.h"

#include "ValueExtent.h"

#include <qcustomplot.h>

#include <cmath>

namespace rdt {

namespace {

const QColor kAxisColour(0x8a, 0x8f, 0x98);
const QColor kTextColour(0x3c, 0x40, 0x46);
const QColor kGridColour(0xe9, 0xeb, 0xee);

} // namespace

void PlotPanelStyle::styleAxis(QCPAxis *axis)
{
    axis->setBasePen(QPen(kAxisColour, 1));
    axis->setTickPen(QPen(kAxisColour, 1));
    axis->setSubTickPen(Qt::NoPen);
    axis->setTickLabelColor(kTextColour);
    axis->setLabelColor(kTextColour);
    axis->setTickLengthIn(0);
    axis->setTickLengthOut(4);
    axis->grid()->setPen(QPen(kGridColour, 1));
    axis->grid()->setZeroLinePen(Qt::NoPen);
    QFont font = axis->tickLabelFont();
    font.setPointSizeF(8.5);
    axis->setTickLabelFont(font);
    axis->setLabelFont(font);
}

QCPAxisRect *PlotPanelStyle::makePanel(QCustomPlot *plot, const QString &label, QCPMarginGroup *group)
{
    auto *rect = new QCPAxisRect(plot);
    for (QCPAxis *axis : rect->axes())
        styleAxis(axis);
    rect->axis(QCPAxis::atTop)->setVisible(false);
    rect->axis(QCPAxis::atRight)->setVisible(false);
    rect->axis(QCPAxis::atLeft)->setLabel(label);
    rect->axis(QCPAxis::atBottom)->grid()->setVisible(true);
    rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    rect->setRangeZoom(Qt::Horizontal);
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    return rect;
}

void PlotPanelStyle::setValueRange(QCPAxis *axis, const ValueExtent &extent, bool logarithmic)
{
    if (extent.isEmpty())
        return;
    if (logarithmic) {
        if (!std::isfinite(extent.minPositive))
            return;
        axis->setRange(extent.minPositive / 1.3, extent.max * 1.3);
        return;
    }
    const double span = extent.max - extent.min;
    const double pad = span > 0 ? span * 0.05 : std::max(std::abs(extent.max) * 0.1, 1e-12);
    axis->setRange(extent.min - pad, extent.max + pad);
}

} // namespace rdt
