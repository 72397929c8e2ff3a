// How a panel of the run plot looks and scales: muted axes and grid, small tick labels,
// drag in both directions but zoom along steps only, and value ranges with a margin.
#pragma once

#include <QString>

class QCPAxis;
class QCPAxisRect;
class QCPMarginGroup;
class QCustomPlot;

namespace rdt {

struct ValueExtent;

class PlotPanelStyle {
public:
    static void styleAxis(QCPAxis *axis);
    // A new panel in `plot` whose left axis reads `label`; its left and right margins line
    // up with the other panels' through `group`.
    static QCPAxisRect *makePanel(QCustomPlot *plot, const QString &label, QCPMarginGroup *group);
    // Fits `axis` to `extent` with a 5% margin (a log axis: from the smallest positive
    // value); an empty extent leaves the axis as it is.
    static void setValueRange(QCPAxis *axis, const ValueExtent &extent, bool logarithmic);
};

} // namespace rdt
