// RunSeries' columns become MetricsEvents, so both CSVs of a run have one writer.
#include "DashboardCsv.h"

#include "MetricsCsv.h"
#include "RunPlot.h"
#include "RunSeries.h"

#include <qcustomplot.h>

#include <QLocale>

#include <cmath>

namespace rdt {
namespace {

QByteArray metricName(PlotMetric metric)
{
    switch (metric) {
    case PlotMetric::Loss:
        return "loss";
    case PlotMetric::SmoothedLoss:
        return "loss_smoothed";
    case PlotMetric::LearningRate:
        return "lr";
    case PlotMetric::GradNorm:
        return "grad_norm";
    case PlotMetric::SamplesPerSecond:
        return "samples_per_s";
    case PlotMetric::SampleMse:
        return "sample_mse";
    case PlotMetric::Count:
        break;
    }
    return {};
}

QByteArray xName(XAxisMode mode)
{
    switch (mode) {
    case XAxisMode::Step:
        return "step";
    case XAxisMode::WallTime:
        return "time";
    case XAxisMode::RelativeTime:
        return "seconds_since_start";
    }
    return "x";
}

// Run names are folder names (no comma, quote or newline: RunFolderLayout), so no quoting.
QByteArray number(double value)
{
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace

QByteArray DashboardCsv::metrics(const RunSeries &series)
{
    MetricsEventList events;
    events.reserve(series.size() + int(series.samples().size()));
    for (int i = 0; i < series.size(); ++i) {
        MetricsEvent event;
        event.kind = MetricsEvent::Kind::Step;
        event.step = qint64(series.steps()[i]);
        event.time = series.wallTimes()[i];
        event.loss = series.losses()[i];
        event.learningRate = series.learningRates()[i];
        event.gradNorm = series.gradNorms()[i];
        event.samplesPerSecond = series.samplesPerSecond()[i];
        if (size_t(i) < series.dataWaitSeconds().size() && !std::isnan(series.dataWaitSeconds()[i]))
            event.dataWaitSeconds = series.dataWaitSeconds()[i];
        events.append(event);
    }
    for (const SampleEvent &sample : series.samples()) {
        MetricsEvent event;
        event.kind = MetricsEvent::Kind::Sample;
        event.step = sample.step;
        event.time = sample.wallTime;
        event.sampleMse = sample.sampleMse;
        events.append(event);
    }
    return MetricsCsv::write(events);
}

QByteArray DashboardCsv::visibleCurves(const RunPlot &plot)
{
    QByteArray csv = "run,metric," + xName(plot.xAxisMode()) + ",value\n";
    for (const QString &run : plot.runNames()) {
        if (!plot.isRunVisible(run))
            continue;
        const QByteArray runName = run.toUtf8();
        for (int m = 0; m < int(PlotMetric::Count); ++m) {
            const PlotMetric metric = PlotMetric(m);
            const QCPGraphDataContainer *data = plot.graphData(run, metric);
            if (!plot.isMetricVisible(metric) || !data)
                continue;
            for (auto point = data->constBegin(); point != data->constEnd(); ++point)
                if (!std::isnan(point->value))
                    csv += runName + ',' + metricName(metric) + ',' + number(point->key) + ',' + number(point->value) + '\n';
        }
    }
    return csv;
}

} // namespace rdt
