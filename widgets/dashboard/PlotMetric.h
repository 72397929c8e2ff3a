// What the run plot can show, and what its x axis counts in.
#pragma once

namespace rdt {

enum class PlotMetric { Loss, SmoothedLoss, LearningRate, GradNorm, SamplesPerSecond, SampleMse, Count };

enum class XAxisMode {
    Step,          // the optimizer step
    WallTime,      // the clock time the step was logged at
    RelativeTime,  // time since the run's first logged step: runs started apart line up
};

} // namespace rdt
