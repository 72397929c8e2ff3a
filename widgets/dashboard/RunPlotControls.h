// The bar above the run plot: x axis (step, wall time, time since start), log y, the
// smoothing weight, which series to show, and Fit. It drives the RunPlot it is given.
#pragma once

#include "PlotMetric.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace rdt {

class RunPlot;

class RunPlotControls : public QWidget {
    Q_OBJECT
public:
    explicit RunPlotControls(RunPlot *plot, QWidget *parent = nullptr);

    QComboBox *xAxisBox() const { return m_xAxis; }
    QCheckBox *logScaleBox() const { return m_logScale; }
    QSlider *smoothingSlider() const { return m_smoothing; }
    QToolButton *metricButton(PlotMetric metric) const;

private:
    RunPlot *m_plot;
    QComboBox *m_xAxis;
    QCheckBox *m_logScale;
    QSlider *m_smoothing;
    QLabel *m_smoothingValue;
    QList<QToolButton *> m_metricButtons;   // by PlotMetric
};

} // namespace rdt
