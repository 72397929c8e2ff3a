// The run plot's panels, axes, interaction and tooltip; per-run graphs live in RunGraphs.
#include "RunPlot.h"

#include "PlotPanelStyle.h"
#include "RunSeries.h"

#include <qcustomplot.h>

#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>

namespace rdt {

namespace {

// "1:02:03" for a number of seconds.
QString formatDuration(double seconds)
{
    const qint64 total = qint64(std::max(0.0, seconds));
    return QStringLiteral("%1:%2:%3")
        .arg(total / 3600)
        .arg((total / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(total % 60, 2, 10, QLatin1Char('0'));
}

QString number(double value)
{
    return std::isfinite(value) ? QString::number(value, 'g', 6) : QStringLiteral("n/a");
}

} // namespace

RunPlot::RunPlot(QWidget *parent) : QWidget(parent)
{
    m_metricVisible.fill(true);
    m_metricVisible[size_t(PlotMetric::SamplesPerSecond)] = false;
    m_plot = new QCustomPlot(this);
    m_plot->setMouseTracking(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setNoAntialiasingOnDrag(true);
    // 1 px aliased lines (RunGraphs) may take QPainter's fast polyline path.
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->installEventFilter(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    createPanels();
    connect(m_plot, &QCustomPlot::mouseMove, this, &RunPlot::showCursor);
    connect(m_plot, &QCustomPlot::mouseWheel, this, &RunPlot::onWheel);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { fitAll(); });
    connect(m_plot, &QCustomPlot::beforeReplot, this, [this] {
        for (auto &[name, graphs] : m_runs)
            graphs->chooseDetail();
    });
}

RunPlot::~RunPlot()
{
    // Graphs and marks first, then every panel back into the layout so QCustomPlot deletes
    // the ones hidden (taken out of it) along with the rest.
    m_runs.clear();
    m_metricVisible.fill(true);
    layOutPanels();
}

void RunPlot::createPanels()
{
    m_plot->plotLayout()->clear();
    auto *group = new QCPMarginGroup(m_plot);
    m_panels.loss = PlotPanelStyle::makePanel(m_plot, QStringLiteral("loss"), group);
    m_panels.learningRate = PlotPanelStyle::makePanel(m_plot, QStringLiteral("learning rate"), group);
    m_panels.gradNorm = PlotPanelStyle::makePanel(m_plot, QStringLiteral("grad norm"), group);
    m_panels.samplesPerSecond = PlotPanelStyle::makePanel(m_plot, QStringLiteral("samples/s"), group);
    QCPAxis *sampleAxis = m_panels.loss->axis(QCPAxis::atRight);
    sampleAxis->setLabel(QStringLiteral("sample MSE \u25C6"));
    sampleAxis->setVisible(true);
    sampleAxis->setRangeReversed(false);
    m_panels.loss->setRangeDragAxes({m_panels.loss->axis(QCPAxis::atBottom)},
                                    {m_panels.loss->axis(QCPAxis::atLeft), sampleAxis});
    m_panels.loss->setRangeZoomAxes({m_panels.loss->axis(QCPAxis::atBottom)},
                                    {m_panels.loss->axis(QCPAxis::atLeft), sampleAxis});

    m_plot->addLayer(QStringLiteral("highlight"), m_plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    m_highlightLayer = m_plot->layer(QStringLiteral("highlight"));
    // Items take the plot's first axis rect as their default clip rect: lay out first.
    layOutPanels();
    // The cursor: a vertical line per panel on QCustomPlot's "overlay" layer, which has a
    // paint buffer of its own, so moving it repaints that layer alone, not 400,000 points.
    m_cursorLayer = m_plot->layer(QStringLiteral("overlay"));
    m_cursorLayer->setMode(QCPLayer::lmBuffered);
    for (QCPAxisRect *rect : {m_panels.loss, m_panels.learningRate, m_panels.gradNorm, m_panels.samplesPerSecond}) {
        auto *line = new QCPItemStraightLine(m_plot);
        for (QCPItemPosition *position : {line->point1, line->point2}) {
            position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            position->setAxisRect(rect);
            position->setTypeX(QCPItemPosition::ptPlotCoords);
            position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        line->point2->setCoords(0, 1);
        line->setClipAxisRect(rect);
        line->setPen(QPen(QColor(0x55, 0x5b, 0x66, 150), 1, Qt::DashLine));
        line->setLayer(m_cursorLayer);
        line->setVisible(false);
        line->setSelectable(false);
        m_cursorLines.push_back(line);
    }
    linkXAxes();

    applyTicker();
    applyScaleType();
}

void RunPlot::linkXAxes()
{
    const std::vector<QCPAxisRect *> all = {m_panels.loss, m_panels.learningRate, m_panels.gradNorm,
                                            m_panels.samplesPerSecond};
    for (QCPAxisRect *rect : all) {
        connect(rect->axis(QCPAxis::atBottom), qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
                [this, rect, all](const QCPRange &range) {
                    if (m_linkingX)
                        return;
                    m_linkingX = true;
                    for (QCPAxisRect *other : all) {
                        if (other != rect)
                            other->axis(QCPAxis::atBottom)->setRange(range);
                    }
                    m_linkingX = false;
                });
        // A range change that fitAxes() did not make is the user's zoom or pan.
        for (QCPAxis *axis : rect->axes()) {
            connect(axis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this] {
                if (!m_fitting)
                    m_follow = false;
            });
        }
    }
}

std::vector<QCPAxisRect *> RunPlot::visiblePanels() const
{
    std::vector<QCPAxisRect *> panels;
    if (isMetricVisible(PlotMetric::Loss) || isMetricVisible(PlotMetric::SmoothedLoss) ||
        isMetricVisible(PlotMetric::SampleMse))
        panels.push_back(m_panels.loss);
    if (isMetricVisible(PlotMetric::LearningRate))
        panels.push_back(m_panels.learningRate);
    if (isMetricVisible(PlotMetric::GradNorm))
        panels.push_back(m_panels.gradNorm);
    if (isMetricVisible(PlotMetric::SamplesPerSecond))
        panels.push_back(m_panels.samplesPerSecond);
    return panels;
}

QCPAxisRect *RunPlot::panel(PlotMetric metric) const
{
    switch (metric) {
    case PlotMetric::LearningRate:
        return m_panels.learningRate;
    case PlotMetric::GradNorm:
        return m_panels.gradNorm;
    case PlotMetric::SamplesPerSecond:
        return m_panels.samplesPerSecond;
    default:
        return m_panels.loss;
    }
}

void RunPlot::layOutPanels()
{
    QCPLayoutGrid *grid = m_plot->plotLayout();
    for (QCPAxisRect *rect : {m_panels.loss, m_panels.learningRate, m_panels.gradNorm, m_panels.samplesPerSecond}) {
        if (grid->elements(false).contains(rect))
            grid->take(rect);
    }
    grid->simplify();
    const std::vector<QCPAxisRect *> shown = visiblePanels();
    QList<double> stretch;
    for (size_t row = 0; row < shown.size(); ++row) {
        grid->addElement(int(row), 0, shown[row]);
        // The loss is what the user watches: it gets the room of the other panels together.
        stretch.append(shown[row] == m_panels.loss ? 2.5 : 1.0);
    }
    if (!stretch.isEmpty())
        grid->setRowStretchFactors(stretch);
    grid->setRowSpacing(4);
    for (QCPAxisRect *rect : {m_panels.loss, m_panels.learningRate, m_panels.gradNorm, m_panels.samplesPerSecond}) {
        const bool isShown = std::find(shown.begin(), shown.end(), rect) != shown.end();
        const bool isBottom = !shown.empty() && rect == shown.back();
        rect->setVisible(isShown);
        QCPAxis *x = rect->axis(QCPAxis::atBottom);
        x->setTickLabels(isBottom);
        x->setLabel(isBottom ? (m_mode == XAxisMode::Step       ? QStringLiteral("step")
                                : m_mode == XAxisMode::WallTime ? QStringLiteral("wall time")
                                                                : QStringLiteral("time since start (h:mm:ss)"))
                             : QString());
    }
    m_panels.loss->axis(QCPAxis::atRight)->setVisible(isMetricVisible(PlotMetric::SampleMse));
}

void RunPlot::applyTicker()
{
    QSharedPointer<QCPAxisTicker> ticker;
    if (m_mode == XAxisMode::WallTime) {
        auto dateTicker = QSharedPointer<QCPAxisTickerDateTime>::create();
        dateTicker->setDateTimeFormat(QStringLiteral("HH:mm\nd MMM"));
        ticker = dateTicker;
    } else if (m_mode == XAxisMode::RelativeTime) {
        auto timeTicker = QSharedPointer<QCPAxisTickerTime>::create();
        timeTicker->setTimeFormat(QStringLiteral("%h:%m:%s"));
        ticker = timeTicker;
    } else {
        ticker = QSharedPointer<QCPAxisTicker>::create();
    }
    for (QCPAxisRect *rect : {m_panels.loss, m_panels.learningRate, m_panels.gradNorm, m_panels.samplesPerSecond})
        rect->axis(QCPAxis::atBottom)->setTicker(ticker);
}

void RunPlot::applyScaleType()
{
    std::vector<QCPAxis *> valueAxes = {m_panels.loss->axis(QCPAxis::atLeft), m_panels.loss->axis(QCPAxis::atRight),
                                        m_panels.learningRate->axis(QCPAxis::atLeft),
                                        m_panels.gradNorm->axis(QCPAxis::atLeft),
                                        m_panels.samplesPerSecond->axis(QCPAxis::atLeft)};
    for (QCPAxis *axis : valueAxes) {
        if (m_logScale) {
            axis->setScaleType(QCPAxis::stLogarithmic);
            axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
            axis->setNumberFormat(QStringLiteral("eb"));
            axis->setNumberPrecision(0);
        } else {
            axis->setScaleType(QCPAxis::stLinear);
            axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
            axis->setNumberFormat(QStringLiteral("g"));
            axis->setNumberPrecision(4);
        }
    }
    // Learning rates are 1e-5..1e-3: one exponent form reads better than "0.0001, 8e-05".
    if (!m_logScale) {
        m_panels.learningRate->axis(QCPAxis::atLeft)->setNumberFormat(QStringLiteral("e"));
        m_panels.learningRate->axis(QCPAxis::atLeft)->setNumberPrecision(1);
    }
}

void RunPlot::addRun(const QString &run, const RunSeries *series, const QColor &colour)
{
    Q_ASSERT(series);
    auto graphs = std::make_unique<RunGraphs>(m_plot, m_panels, series, colour);
    for (size_t i = 0; i < m_metricVisible.size(); ++i)
        graphs->setMetricVisible(PlotMetric(i), m_metricVisible[i]);
    graphs->sync(m_mode, m_smoothing);
    if (run == m_highlightedRun)
        graphs->setLayer(m_highlightLayer);
    m_runs[run] = std::move(graphs);
    scheduleReplot();
}

void RunPlot::removeRun(const QString &run)
{
    if (m_runs.erase(run))
        scheduleReplot();
}

RunGraphs *RunPlot::runGraphs(const QString &run) const
{
    const auto found = m_runs.find(run);
    return found == m_runs.end() ? nullptr : found->second.get();
}

void RunPlot::setRunVisible(const QString &run, bool visible)
{
    if (RunGraphs *graphs = runGraphs(run)) {
        graphs->setVisible(visible);
        scheduleReplot();
    }
}

void RunPlot::setHighlightedRun(const QString &run)
{
    m_highlightedRun = run;
    for (auto &[name, graphs] : m_runs)
        graphs->setLayer(name == run ? m_highlightLayer : m_plot->layer(QStringLiteral("main")));
    scheduleReplot();
}

QStringList RunPlot::runNames() const
{
    QStringList names;
    for (const auto &entry : m_runs)
        names.append(entry.first);
    return names;
}

bool RunPlot::isRunVisible(const QString &run) const
{
    const RunGraphs *graphs = runGraphs(run);
    return graphs && graphs->isVisible();
}

void RunPlot::updateRun(const QString &run)
{
    if (RunGraphs *graphs = runGraphs(run)) {
        graphs->sync(m_mode, m_smoothing);
        scheduleReplot();
    }
}

void RunPlot::setXAxisMode(XAxisMode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    for (auto &[name, graphs] : m_runs)
        graphs->sync(m_mode, m_smoothing);
    applyTicker();
    layOutPanels();
    fitAll();
}

void RunPlot::setLogScale(bool logarithmic)
{
    if (logarithmic == m_logScale)
        return;
    m_logScale = logarithmic;
    applyScaleType();
    fitAll();
}

void RunPlot::setSmoothing(double weight)
{
    weight = std::clamp(weight, 0.0, 0.999);
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    for (auto &[name, graphs] : m_runs)
        graphs->sync(m_mode, m_smoothing);
    scheduleReplot();
}

void RunPlot::setMetricVisible(PlotMetric metric, bool visible)
{
    m_metricVisible[size_t(metric)] = visible;
    for (auto &[name, graphs] : m_runs)
        graphs->setMetricVisible(metric, visible);
    layOutPanels();
    scheduleReplot();
}

void RunPlot::fitAll()
{
    m_follow = true;
    scheduleReplot();
}

void RunPlot::scheduleReplot()
{
    if (m_follow)
        fitAxes();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void RunPlot::fitAxes()
{
    m_fitting = true;
    ValueExtent keys;
    std::array<ValueExtent, size_t(PlotMetric::Count)> values;
    for (const auto &[name, graphs] : m_runs) {
        if (!graphs->isVisible())
            continue;
        keys.include(graphs->keyExtent());
        for (size_t i = 0; i < values.size(); ++i) {
            if (m_metricVisible[i])
                values[i].include(graphs->valueExtent(PlotMetric(i)));
        }
    }
    if (!keys.isEmpty()) {
        const double span = keys.max > keys.min ? keys.max - keys.min : 1.0;
        m_panels.loss->axis(QCPAxis::atBottom)->setRange(keys.min, keys.max + 0.01 * span);
    }
    ValueExtent loss = values[size_t(PlotMetric::Loss)];
    loss.include(values[size_t(PlotMetric::SmoothedLoss)]);
    PlotPanelStyle::setValueRange(m_panels.loss->axis(QCPAxis::atLeft), loss, m_logScale);
    PlotPanelStyle::setValueRange(m_panels.loss->axis(QCPAxis::atRight), values[size_t(PlotMetric::SampleMse)], m_logScale);
    PlotPanelStyle::setValueRange(m_panels.learningRate->axis(QCPAxis::atLeft), values[size_t(PlotMetric::LearningRate)], m_logScale);
    PlotPanelStyle::setValueRange(m_panels.gradNorm->axis(QCPAxis::atLeft), values[size_t(PlotMetric::GradNorm)], m_logScale);
    PlotPanelStyle::setValueRange(m_panels.samplesPerSecond->axis(QCPAxis::atLeft), values[size_t(PlotMetric::SamplesPerSecond)],
                  m_logScale);
    m_fitting = false;
}

void RunPlot::onWheel(QWheelEvent *event)
{
    // QCustomPlot emits mouseWheel before it zooms, so the orientation set here applies.
    const Qt::Orientations orientation =
        event->modifiers().testFlag(Qt::ShiftModifier) ? Qt::Vertical : Qt::Horizontal;
    for (QCPAxisRect *rect : {m_panels.loss, m_panels.learningRate, m_panels.gradNorm, m_panels.samplesPerSecond})
        rect->setRangeZoom(orientation);
}

bool RunPlot::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_plot && event->type() == QEvent::Leave)
        hideCursor();
    return QWidget::eventFilter(watched, event);
}

void RunPlot::showCursor(QMouseEvent *event)
{
    QCPAxisRect *rect = m_plot->axisRectAt(event->position());
    if (!rect || !rect->visible() || !rect->rect().contains(event->position().toPoint())) {
        hideCursor();
        return;
    }
    const double key = rect->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x());
    for (QCPItemStraightLine *line : m_cursorLines) {
        line->point1->setCoords(key, 0);
        line->point2->setCoords(key, 1);
        line->setVisible(line->clipAxisRect()->visible());
    }
    m_cursorLayer->replot();
    const QString text = toolTipText(key);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

void RunPlot::hideCursor()
{
    for (QCPItemStraightLine *line : m_cursorLines)
        line->setVisible(false);
    m_cursorLayer->replot();
    QToolTip::hideText();
}

QString RunPlot::toolTipText(double key) const
{
    QStringList blocks;
    for (const auto &[name, graphs] : m_runs) {
        const RunSeries &s = *graphs->series();
        if (!graphs->isVisible() || s.isEmpty())
            continue;
        const int i = m_mode == XAxisMode::Step       ? s.nearestIndexByStep(key)
                      : m_mode == XAxisMode::WallTime ? s.nearestIndexByTime(key)
                                                      : s.nearestIndexByTime(key + s.firstWallTime());
        const size_t at = size_t(i);
        const double step = s.steps()[at];
        const QCPGraphDataContainer &smoothed = graphs->fullData(PlotMetric::SmoothedLoss);
        const double smoothedLoss = i < smoothed.size() ? (smoothed.constBegin() + i)->value : qQNaN();
        QStringList lines;
        lines << QStringLiteral("%1  step %2  (%3 since start)")
                     .arg(name)
                     .arg(qint64(step))
                     .arg(formatDuration(s.wallTimes()[at] - s.firstWallTime()));
        lines << QStringLiteral("loss %1   smoothed %2").arg(number(s.losses()[at]), number(smoothedLoss));
        lines << QStringLiteral("lr %1   grad norm %2   samples/s %3")
                     .arg(number(s.learningRates()[at]), number(s.gradNorms()[at]), number(s.samplesPerSecond()[at]));
        if (const SampleEvent *sample = s.nearestSample(step))
            lines << QStringLiteral("sample MSE %1 at step %2").arg(number(sample->sampleMse)).arg(sample->step);
        const auto &checkpoints = s.checkpoints();
        const auto last = std::find_if(checkpoints.rbegin(), checkpoints.rend(),
                                       [step](const RunSeries::Checkpoint &c) { return double(c.step) <= step; });
        if (last != checkpoints.rend())
            lines << QStringLiteral("last checkpoint: checkpoint-%1").arg(last->step);
        blocks << lines.join(QLatin1Char('\n'));
    }
    return blocks.join(QStringLiteral("\n\n"));
}

const QCPGraphDataContainer *RunPlot::graphData(const QString &run, PlotMetric metric) const
{
    const RunGraphs *graphs = runGraphs(run);
    return graphs ? &graphs->fullData(metric) : nullptr;
}

} // namespace rdt
