// Progress and ETA from a run's series; see RunProgress.h.
#include "RunProgress.h"

#include "RunSeries.h"

#include <algorithm>
#include <cmath>

namespace rdt {

RunProgress RunProgress::estimate(const RunSeries &series, qint64 maxSteps, double windowSeconds)
{
    RunProgress progress;
    progress.maxSteps = maxSteps;
    if (series.isEmpty())
        return progress;
    progress.step = series.lastStep();
    progress.elapsedSeconds = series.lastWallTime() - series.firstWallTime();
    const std::vector<double> &times = series.wallTimes();
    const size_t last = times.size() - 1;
    if (last == 0)
        return progress;
    // The first point inside the window, but never the last point itself.
    const auto inWindow = std::lower_bound(times.begin(), times.end(), times[last] - windowSeconds);
    const size_t first = std::min(size_t(inWindow - times.begin()), last - 1);
    const double seconds = times[last] - times[first];
    const double steps = series.steps()[last] - series.steps()[first];
    if (seconds <= 0 || steps <= 0)
        return progress;
    progress.stepsPerSecond = steps / seconds;
    if (maxSteps > progress.step)
        progress.etaSeconds = double(maxSteps - progress.step) / *progress.stepsPerSecond;
    else if (maxSteps > 0)
        progress.etaSeconds = 0.0;
    return progress;
}

QString RunProgress::formatDuration(double seconds)
{
    const qint64 total = qint64(std::llround(std::max(0.0, seconds)));
    const qint64 days = total / 86400;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg((total / 3600) % 24)
                              .arg((total / 60) % 60, 2, 10, QLatin1Char('0'))
                              .arg(total % 60, 2, 10, QLatin1Char('0'));
    return days > 0 ? QStringLiteral("%1 d %2").arg(days).arg(clock) : clock;
}

} // namespace rdt
