// The live training plot: a loss panel (raw and smoothed loss, sample MSE on the right
// axis, checkpoints marked on the x axis) above panels for learning rate, gradient norm
// and samples/s, all sharing one x axis (step, wall time or time since start). Several
// runs overlay, each in its colour. Wheel zooms x (Shift+wheel: y), drag pans, a double
// click fits everything again; the tooltip shows the exact values under the cursor.
#pragma once

#include "PlotMetric.h"
#include "RunGraphs.h"

#include <QStringList>
#include <QWidget>

#include <array>
#include <map>
#include <memory>

class QCustomPlot;
class QCPAxisRect;
class QCPGraphData;
template <class DataType> class QCPDataContainer;
typedef QCPDataContainer<QCPGraphData> QCPGraphDataContainer;   // as qcustomplot.h declares it
class QCPItemStraightLine;
class QCPLayer;
class QMouseEvent;
class QWheelEvent;

namespace rdt {

class RunSeries;

class RunPlot : public QWidget {
    Q_OBJECT
public:
    explicit RunPlot(QWidget *parent = nullptr);
    ~RunPlot() override;

    // The plot reads `series`, which the caller owns and keeps until removeRun().
    void addRun(const QString &run, const RunSeries *series, const QColor &colour);
    void removeRun(const QString &run);
    bool hasRun(const QString &run) const { return m_runs.count(run) != 0; }
    QStringList runNames() const;   // sorted
    void setRunVisible(const QString &run, bool visible);
    bool isRunVisible(const QString &run) const;
    // Draws this run above the others (the dashboard's current run); empty: none.
    void setHighlightedRun(const QString &run);
    // Takes in what the run's series gained since the last call (cheap: only new points)
    // and schedules one replot for the next event loop pass, however many calls come first.
    void updateRun(const QString &run);

    void setXAxisMode(XAxisMode mode);
    XAxisMode xAxisMode() const { return m_mode; }
    void setLogScale(bool logarithmic);
    bool logScale() const { return m_logScale; }
    // TensorBoard's smoothing weight in [0, 1).
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    void setMetricVisible(PlotMetric metric, bool visible);
    bool isMetricVisible(PlotMetric metric) const { return m_metricVisible[size_t(metric)]; }

    // Whether the axes follow the data as it arrives; zooming or panning turns it off.
    bool followsLatest() const { return m_follow; }
    // Fits all visible data and follows new points again.
    void fitAll();

    // What the tooltip says with the cursor at x = key: per visible run, the point nearest it.
    QString toolTipText(double key) const;

    // For tests and benchmarks.
    QCustomPlot *customPlot() const { return m_plot; }
    const QCPGraphDataContainer *graphData(const QString &run, PlotMetric metric) const;
    QCPAxisRect *panel(PlotMetric metric) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createPanels();
    void layOutPanels();
    void applyScaleType();
    void applyTicker();
    void fitAxes();
    void scheduleReplot();
    void linkXAxes();
    void showCursor(QMouseEvent *event);
    void hideCursor();
    void onWheel(QWheelEvent *event);
    std::vector<QCPAxisRect *> visiblePanels() const;
    RunGraphs *runGraphs(const QString &run) const;

    QCustomPlot *m_plot = nullptr;
    PlotPanels m_panels;
    std::vector<QCPItemStraightLine *> m_cursorLines;   // one per panel, on their own layer
    QCPLayer *m_cursorLayer = nullptr;
    QCPLayer *m_highlightLayer = nullptr;   // above "main", where the other runs draw
    QString m_highlightedRun;
    std::map<QString, std::unique_ptr<RunGraphs>> m_runs;
    std::array<bool, size_t(PlotMetric::Count)> m_metricVisible{};
    XAxisMode m_mode = XAxisMode::Step;
    double m_smoothing = 0.6;
    bool m_logScale = false;
    bool m_follow = true;
    bool m_linkingX = false;   // propagating one panel's x range to the others
    bool m_fitting = false;    // fitAxes() is moving the axes, not the user
};

} // namespace rdt
