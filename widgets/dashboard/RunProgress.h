// Where a run stands: step of max, time since its first step, the recent step rate and the
// time left at that rate. The rate looks at the last few minutes only, so a run resumed
// on a faster GPU or slowed by a neighbour shows its current pace, not its average.
#pragma once

#include <QString>

#include <optional>

namespace rdt {

class RunSeries;

struct RunProgress {
    qint64 step = 0;
    qint64 maxSteps = 0;
    double elapsedSeconds = 0;
    std::optional<double> stepsPerSecond;   // empty: too few points to tell
    std::optional<double> etaSeconds;       // empty: no rate, or no max steps

    // `windowSeconds`: how far back the rate looks (at least two points are used).
    static RunProgress estimate(const RunSeries &series, qint64 maxSteps, double windowSeconds = 300);

    // "1:02:03", or "3 d 4:05:06" past a day.
    static QString formatDuration(double seconds);
};

} // namespace rdt
