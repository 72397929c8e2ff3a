// What remote/ reports, in the run dashboard's terms: a listed run (RunInfo's JSON, as
// `rdtctl runs --json` prints it) as a run list row, a metrics event as a plot point, a
// GPU reading as a GPU panel sample.
#pragma once

#include "GpuInfo.h"
#include "GpuSample.h"
#include "MetricPoint.h"
#include "MetricsEvent.h"
#include "RunRow.h"

#include <QDateTime>
#include <QJsonObject>

namespace rdt {

class DashboardRows {
public:
    static RunRow runRow(const QJsonObject &runInfo);
    static MetricPoint metricPoint(const MetricsEvent &event);
    static GpuSample gpuSample(const GpuInfo &gpu);
    // A metrics file's time (seconds since the epoch; NaN: none) as a date, invalid if none.
    static QDateTime timeOf(double secondsSinceEpoch);
};

} // namespace rdt
