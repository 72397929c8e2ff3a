// One training step as metrics.jsonl records it (DESIGN.md contract 2: step, time, loss,
// lr, grad_norm, samples_per_s, data_wait_s), the plain input the dashboard plots from.
#pragma once

#include <QtGlobal>

#include <limits>

namespace rdt {

struct MetricPoint {
    qint64 step = 0;
    double wallTime = 0;          // seconds since the Unix epoch, as the trainer's "time"
    double loss = std::numeric_limits<double>::quiet_NaN();
    double learningRate = std::numeric_limits<double>::quiet_NaN();
    double gradNorm = std::numeric_limits<double>::quiet_NaN();
    double samplesPerSecond = std::numeric_limits<double>::quiet_NaN();
    double dataWaitSeconds = std::numeric_limits<double>::quiet_NaN();   // absent in older files
};

// {"event":"sample", "step", "sample_mse"}: how far sampled actions are from held-out ones.
struct SampleEvent {
    qint64 step = 0;
    double wallTime = 0;
    double sampleMse = 0;
};

} // namespace rdt
