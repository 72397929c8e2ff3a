// The graphs one run contributes to the run plot: raw and smoothed loss, learning rate,
// gradient norm, samples/s, sample MSE points, and checkpoint marks. It copies only the
// points its RunSeries gained since the last sync into QCustomPlot's containers, smooths
// them incrementally, and grows the value extents as it goes: an append costs O(new points).
#pragma once

#include "DebiasedEma.h"
#include "GraphDetail.h"
#include "PlotMetric.h"
#include "ValueExtent.h"

#include <QColor>

#include <array>
#include <vector>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCPAbstractItem;
class QCPLayer;

namespace rdt {

class RunSeries;

// The plot's panels: loss (sample MSE on its right axis), learning rate, grad norm, samples/s.
struct PlotPanels {
    QCPAxisRect *loss = nullptr;
    QCPAxisRect *learningRate = nullptr;
    QCPAxisRect *gradNorm = nullptr;
    QCPAxisRect *samplesPerSecond = nullptr;
};

class RunGraphs {
public:
    // `series` is owned by the caller and outlives this object.
    RunGraphs(QCustomPlot *plot, const PlotPanels &panels, const RunSeries *series, const QColor &colour);
    ~RunGraphs();
    RunGraphs(const RunGraphs &) = delete;
    RunGraphs &operator=(const RunGraphs &) = delete;

    // Brings the graphs up to date with the series: incremental unless the axis mode, the
    // smoothing or the series' history (a resume) changed, which rebuild what they affect.
    void sync(XAxisMode mode, double smoothing);

    void setVisible(bool visible);
    bool isVisible() const { return m_visible; }
    void setMetricVisible(PlotMetric metric, bool visible);
    // Moves the graphs and marks to this layer (the highlighted run draws above the others).
    void setLayer(QCPLayer *layer);

    QCPGraph *graph(PlotMetric metric) const { return m_graphs[size_t(metric)]; }
    // Every point of a metric, whichever level of detail the graph draws now.
    const QCPGraphDataContainer &fullData(PlotMetric metric) const;
    // Picks each line's level of detail for the x range about to be drawn.
    void chooseDetail();
    const RunSeries *series() const { return m_series; }
    QColor colour() const { return m_colour; }
    ValueExtent keyExtent() const { return m_keyExtent; }
    ValueExtent valueExtent(PlotMetric metric) const { return m_valueExtents[size_t(metric)]; }
    // The x coordinate of a point logged at this step and time, in the current axis mode.
    double keyOf(double step, double wallTime) const;

private:
    void rebuild();
    void appendPoints(int from, int to);
    void resmooth();
    void syncSamples();
    void syncCheckpoints();
    void applyVisibility();
    void styleGraphs();

    QCustomPlot *m_plot;
    PlotPanels m_panels;
    const RunSeries *m_series;
    QColor m_colour;
    std::array<QCPGraph *, size_t(PlotMetric::Count)> m_graphs{};
    std::array<GraphDetail, size_t(PlotMetric::Count)> m_details;   // all but SampleMse
    std::array<bool, size_t(PlotMetric::Count)> m_metricVisible{};
    std::array<ValueExtent, size_t(PlotMetric::Count)> m_valueExtents{};
    ValueExtent m_keyExtent;
    std::vector<QCPAbstractItem *> m_checkpointMarks;
    bool m_visible = true;
    QCPLayer *m_layer = nullptr;   // null: QCustomPlot's default ("main")

    XAxisMode m_mode = XAxisMode::Step;
    double m_smoothing = -1;   // none yet: the first sync smooths
    DebiasedEma m_ema;
    int m_consumed = 0;        // points of the series copied into the graphs
    int m_rewinds = -1;        // the series' rewinds() at the last sync
    int m_samplesShown = -1;
    qint64 m_lastSampleStep = -1;
    int m_checkpointsShown = -1;
    qint64 m_lastCheckpointStep = -1;
};

} // namespace rdt
