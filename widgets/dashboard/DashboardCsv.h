// The dashboard's CSV exports: one run's metrics (step, every metric, as `rdtctl export
// --csv` writes them, through MetricsCsv) from what the dashboard holds, and the curves the
// plot shows now (each visible run and metric, at the x the plot uses, smoothed as drawn).
#pragma once

#include <QByteArray>

namespace rdt {

class RunPlot;
class RunSeries;

class DashboardCsv {
public:
    [[nodiscard]] static QByteArray metrics(const RunSeries &series);
    // Long form, one row per point: run,metric,x,value; x in the plot's current axis mode
    // (step, seconds since the epoch, or seconds since the run's start).
    [[nodiscard]] static QByteArray visibleCurves(const RunPlot &plot);
};

} // namespace rdt
