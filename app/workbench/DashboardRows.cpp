// Field by field conversions; missing numbers become the dashboard's "none" values.
#include "DashboardRows.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace rdt {

RunRow DashboardRows::runRow(const QJsonObject &object)
{
    static const QHash<QString, RunRowState> states{{QStringLiteral("running"), RunRowState::Running},
                                                 {QStringLiteral("finished"), RunRowState::Finished},
                                                 {QStringLiteral("failed"), RunRowState::Failed},
                                                 {QStringLiteral("stopped"), RunRowState::Stopped}};
    RunRow row;
    row.name = object.value(QLatin1String("name")).toString();
    row.state = states.value(object.value(QLatin1String("state")).toString(), RunRowState::Unknown);
    row.step = std::max<qint64>(0, qint64(object.value(QLatin1String("step")).toDouble()));
    row.maxSteps = std::max<qint64>(0, qint64(object.value(QLatin1String("max_steps")).toDouble()));
    const QJsonValue loss = object.value(QLatin1String("last_loss"));
    if (loss.isDouble())
        row.lastLoss = loss.toDouble();
    const QString start = object.value(QLatin1String("start_time")).toString();
    if (!start.isEmpty())
        row.startTime = QDateTime::fromString(start, Qt::ISODate);
    return row;
}

MetricPoint DashboardRows::metricPoint(const MetricsEvent &event)
{
    MetricPoint point;
    point.step = event.step;
    point.wallTime = event.time;
    point.loss = event.loss;
    point.learningRate = event.learningRate;
    point.gradNorm = event.gradNorm;
    point.samplesPerSecond = event.samplesPerSecond;
    point.dataWaitSeconds = event.dataWaitSeconds.value_or(MetricsEvent::kMissing);
    return point;
}

QDateTime DashboardRows::timeOf(double secondsSinceEpoch)
{
    return std::isfinite(secondsSinceEpoch) ? QDateTime::fromMSecsSinceEpoch(qint64(secondsSinceEpoch * 1000.0))
                                            : QDateTime();
}

GpuSample DashboardRows::gpuSample(const GpuInfo &gpu)
{
    GpuSample sample;
    sample.index = gpu.index;
    sample.name = gpu.name;
    sample.utilizationPercent = gpu.utilizationPercent.value_or(-1);
    sample.memoryUsedMiB = gpu.memoryUsedMiB.value_or(-1);
    sample.memoryTotalMiB = gpu.memoryTotalMiB.value_or(-1);
    sample.temperatureCelsius = gpu.temperatureCelsius.value_or(-1);
    return sample;
}

} // namespace rdt
