// One run's graphs in the run plot; see RunGraphs.h.
#include "RunGraphs.h"

#include "RunSeries.h"

#include <qcustomplot.h>

namespace rdt {

namespace {

QCPGraph *addGraph(QCustomPlot *plot, QCPAxisRect *rect, QCPAxis::AxisType valueSide = QCPAxis::atLeft)
{
    QCPGraph *graph = plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(valueSide));
    // Dense series: aliased 1 px lines keep a 100,000-point replot in a few milliseconds.
    graph->setAntialiased(false);
    graph->setAdaptiveSampling(true);
    return graph;
}

QCPItemPosition *placeAtKey(QCPItemPosition *position, QCPAxisRect *rect, double key, double heightRatio)
{
    position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    position->setAxisRect(rect);
    position->setTypeX(QCPItemPosition::ptPlotCoords);
    position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    position->setCoords(key, heightRatio);
    return position;
}

} // namespace

RunGraphs::RunGraphs(QCustomPlot *plot, const PlotPanels &panels, const RunSeries *series, const QColor &colour)
    : m_plot(plot), m_panels(panels), m_series(series), m_colour(colour)
{
    m_graphs[size_t(PlotMetric::Loss)] = addGraph(plot, panels.loss);
    m_graphs[size_t(PlotMetric::SmoothedLoss)] = addGraph(plot, panels.loss);
    m_graphs[size_t(PlotMetric::SampleMse)] = addGraph(plot, panels.loss, QCPAxis::atRight);
    m_graphs[size_t(PlotMetric::LearningRate)] = addGraph(plot, panels.learningRate);
    m_graphs[size_t(PlotMetric::GradNorm)] = addGraph(plot, panels.gradNorm);
    m_graphs[size_t(PlotMetric::SamplesPerSecond)] = addGraph(plot, panels.samplesPerSecond);
    for (size_t i = 0; i < m_graphs.size(); ++i) {
        if (PlotMetric(i) != PlotMetric::SampleMse)
            m_graphs[i]->setData(m_details[i].full());
    }
    m_metricVisible.fill(true);
    styleGraphs();
}

const QCPGraphDataContainer &RunGraphs::fullData(PlotMetric metric) const
{
    if (metric == PlotMetric::SampleMse)
        return *graph(metric)->data();
    return *m_details[size_t(metric)].full();
}

void RunGraphs::chooseDetail()
{
    for (size_t i = 0; i < m_graphs.size(); ++i) {
        QCPGraph *g = m_graphs[i];
        if (PlotMetric(i) == PlotMetric::SampleMse || !g->visible())
            continue;
        const QCPGraphDataContainer &full = *m_details[i].full();
        const QCPRange range = g->keyAxis()->range();
        const int visible = int(full.findEnd(range.upper) - full.findBegin(range.lower));
        const int pixels = std::max(1, g->keyAxis()->axisRect()->width());
        const QSharedPointer<QCPGraphDataContainer> &level = m_details[i].forDensity(double(visible) / pixels);
        if (g->data() != level)
            g->setData(level);
    }
}

RunGraphs::~RunGraphs()
{
    for (QCPGraph *graph : m_graphs)
        m_plot->removeGraph(graph);
    for (QCPAbstractItem *mark : m_checkpointMarks)
        m_plot->removeItem(mark);
}

void RunGraphs::styleGraphs()
{
    // TensorBoard's convention: the raw curve faint behind the smoothed one in the same hue.
    // Mixed with the white background rather than made translucent: an opaque pen draws
    // a dense 100,000-point line without per-pixel blending.
    constexpr double kFaint = 0.3;
    const QColor faint = QColor::fromRgbF(float(kFaint * m_colour.redF() + (1 - kFaint)),
                                          float(kFaint * m_colour.greenF() + (1 - kFaint)),
                                          float(kFaint * m_colour.blueF() + (1 - kFaint)));
    graph(PlotMetric::Loss)->setPen(QPen(faint, 1));
    graph(PlotMetric::SmoothedLoss)->setPen(QPen(m_colour, 1));
    for (PlotMetric metric : {PlotMetric::LearningRate, PlotMetric::GradNorm, PlotMetric::SamplesPerSecond})
        graph(metric)->setPen(QPen(m_colour, 1));
    QCPGraph *samples = graph(PlotMetric::SampleMse);
    samples->setLineStyle(QCPGraph::lsNone);
    samples->setAntialiasedScatters(true);
    samples->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, m_colour.darker(130), Qt::white, 7));
    graph(PlotMetric::Loss)->setName(QStringLiteral("loss"));
    graph(PlotMetric::SmoothedLoss)->setName(QStringLiteral("loss (smoothed)"));
    samples->setName(QStringLiteral("sample MSE"));
}

double RunGraphs::keyOf(double step, double wallTime) const
{
    switch (m_mode) {
    case XAxisMode::Step:
        return step;
    case XAxisMode::WallTime:
        return wallTime;
    case XAxisMode::RelativeTime:
        return wallTime - m_series->firstWallTime();
    }
    return step;
}

void RunGraphs::sync(XAxisMode mode, double smoothing)
{
    if (mode != m_mode || m_series->rewinds() != m_rewinds) {
        m_mode = mode;
        m_rewinds = m_series->rewinds();
        m_smoothing = smoothing;
        rebuild();
    } else if (smoothing != m_smoothing) {
        m_smoothing = smoothing;
        resmooth();
    }
    if (m_consumed < m_series->size())
        appendPoints(m_consumed, m_series->size());
    syncSamples();
    syncCheckpoints();
}

void RunGraphs::rebuild()
{
    for (GraphDetail &detail : m_details)
        detail.clear();
    graph(PlotMetric::SampleMse)->data()->clear();
    m_valueExtents.fill(ValueExtent{});
    m_keyExtent = ValueExtent{};
    m_ema = DebiasedEma(m_smoothing);
    m_consumed = 0;
    m_samplesShown = -1;
    m_checkpointsShown = -1;
}

void RunGraphs::appendPoints(int from, int to)
{
    const RunSeries &s = *m_series;
    const int count = to - from;
    QVector<QCPGraphData> loss(count), smoothed(count), learningRate(count), gradNorm(count), samplesPerSecond(count);
    ValueExtent &lossExtent = m_valueExtents[size_t(PlotMetric::Loss)];
    ValueExtent &learningRateExtent = m_valueExtents[size_t(PlotMetric::LearningRate)];
    ValueExtent &gradNormExtent = m_valueExtents[size_t(PlotMetric::GradNorm)];
    ValueExtent &samplesPerSecondExtent = m_valueExtents[size_t(PlotMetric::SamplesPerSecond)];
    for (int i = 0; i < count; ++i) {
        const size_t at = size_t(from + i);
        const double key = keyOf(s.steps()[at], s.wallTimes()[at]);
        m_keyExtent.include(key);
        loss[i] = {key, s.losses()[at]};
        smoothed[i] = {key, m_ema.add(s.losses()[at])};
        learningRate[i] = {key, s.learningRates()[at]};
        gradNorm[i] = {key, s.gradNorms()[at]};
        samplesPerSecond[i] = {key, s.samplesPerSecond()[at]};
        lossExtent.include(loss[i].value);
        learningRateExtent.include(learningRate[i].value);
        gradNormExtent.include(gradNorm[i].value);
        samplesPerSecondExtent.include(samplesPerSecond[i].value);
    }
    // The smoothed curve is a weighted mean of raw values, so it never leaves their extent.
    m_valueExtents[size_t(PlotMetric::SmoothedLoss)] = lossExtent;
    // Keys only grow (RunSeries drops what a resume rewrites), so these appends are O(count).
    m_details[size_t(PlotMetric::Loss)].append(loss);
    m_details[size_t(PlotMetric::SmoothedLoss)].append(smoothed);
    m_details[size_t(PlotMetric::LearningRate)].append(learningRate);
    m_details[size_t(PlotMetric::GradNorm)].append(gradNorm);
    m_details[size_t(PlotMetric::SamplesPerSecond)].append(samplesPerSecond);
    m_consumed = to;
}

void RunGraphs::resmooth()
{
    m_ema = DebiasedEma(m_smoothing);
    const RunSeries &s = *m_series;
    QVector<QCPGraphData> smoothed(m_consumed);
    for (int i = 0; i < m_consumed; ++i)
        smoothed[i] = {keyOf(s.steps()[size_t(i)], s.wallTimes()[size_t(i)]), m_ema.add(s.losses()[size_t(i)])};
    m_details[size_t(PlotMetric::SmoothedLoss)].set(smoothed);
}

void RunGraphs::syncSamples()
{
    // A few hundred events at most: copied whole whenever they change.
    const std::vector<SampleEvent> &samples = m_series->samples();
    const qint64 lastStep = samples.empty() ? -1 : samples.back().step;
    if (int(samples.size()) == m_samplesShown && lastStep == m_lastSampleStep)
        return;
    QVector<QCPGraphData> points;
    points.reserve(int(samples.size()));
    ValueExtent extent;
    for (const SampleEvent &sample : samples) {
        points.append({keyOf(double(sample.step), sample.wallTime), sample.sampleMse});
        extent.include(sample.sampleMse);
    }
    graph(PlotMetric::SampleMse)->data()->set(points, m_mode == XAxisMode::Step);
    m_valueExtents[size_t(PlotMetric::SampleMse)] = extent;
    m_samplesShown = int(samples.size());
    m_lastSampleStep = lastStep;
}

void RunGraphs::syncCheckpoints()
{
    const auto &checkpoints = m_series->checkpoints();
    const qint64 lastStep = checkpoints.empty() ? -1 : checkpoints.back().step;
    if (int(checkpoints.size()) == m_checkpointsShown && lastStep == m_lastCheckpointStep)
        return;
    for (QCPAbstractItem *mark : m_checkpointMarks)
        m_plot->removeItem(mark);
    m_checkpointMarks.clear();
    QColor lineColour = m_colour;
    lineColour.setAlpha(110);
    for (const RunSeries::Checkpoint &checkpoint : checkpoints) {
        const double key = keyOf(double(checkpoint.step), checkpoint.wallTime);
        // A dotted line through the loss panel, and a marker sitting on its x axis.
        auto *line = new QCPItemStraightLine(m_plot);
        placeAtKey(line->point1, m_panels.loss, key, 0.0);
        placeAtKey(line->point2, m_panels.loss, key, 1.0);
        line->setPen(QPen(lineColour, 1, Qt::DotLine));
        line->setClipAxisRect(m_panels.loss);
        line->setSelectable(false);
        auto *marker = new QCPItemText(m_plot);
        placeAtKey(marker->position, m_panels.loss, key, 1.0);
        marker->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        marker->setText(QStringLiteral("\u25B2"));
        marker->setColor(m_colour);
        marker->setClipAxisRect(m_panels.loss);
        marker->setSelectable(false);
        if (m_layer) {
            line->setLayer(m_layer);
            marker->setLayer(m_layer);
        }
        m_checkpointMarks.push_back(line);
        m_checkpointMarks.push_back(marker);
    }
    m_checkpointsShown = int(checkpoints.size());
    m_lastCheckpointStep = lastStep;
    applyVisibility();
}

void RunGraphs::setLayer(QCPLayer *layer)
{
    m_layer = layer;
    for (QCPGraph *g : m_graphs)
        g->setLayer(layer);
    for (QCPAbstractItem *mark : m_checkpointMarks)
        mark->setLayer(layer);
}

void RunGraphs::setVisible(bool visible)
{
    m_visible = visible;
    applyVisibility();
}

void RunGraphs::setMetricVisible(PlotMetric metric, bool visible)
{
    m_metricVisible[size_t(metric)] = visible;
    applyVisibility();
}

void RunGraphs::applyVisibility()
{
    for (size_t i = 0; i < m_graphs.size(); ++i)
        m_graphs[i]->setVisible(m_visible && m_metricVisible[i]);
    const bool lossShown = m_visible && (m_metricVisible[size_t(PlotMetric::Loss)] ||
                                         m_metricVisible[size_t(PlotMetric::SmoothedLoss)]);
    for (QCPAbstractItem *mark : m_checkpointMarks)
        mark->setVisible(lossShown);
}

} // namespace rdt
