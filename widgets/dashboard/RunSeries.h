// All that one run has logged, as columns (one vector per metric) so the plot can turn a
// range of them into graph data without touching the rest. Steps only grow: a step at or
// below the last one means the run was resumed from an earlier checkpoint, and everything
// logged after that checkpoint is dropped, as the resumed run will log it again.
#pragma once

#include "MetricPoint.h"

#include <QString>

#include <vector>

namespace rdt {

class RunSeries {
public:
    RunSeries() = default;

    void append(const MetricPoint &point);
    void append(qint64 step, double wallTime, double loss, double learningRate, double gradNorm,
                double samplesPerSecond);
    void addSample(const SampleEvent &sample);
    void addSample(qint64 step, double wallTime, double sampleMse) { addSample(SampleEvent{step, wallTime, sampleMse}); }
    void addCheckpoint(qint64 step, double wallTime);
    struct Checkpoint {
        qint64 step = 0;
        double wallTime = 0;
    };
    // Replaces the checkpoint marks (sorted by step here).
    void setCheckpoints(std::vector<Checkpoint> checkpoints);
    void clear();

    int size() const { return int(m_steps.size()); }
    bool isEmpty() const { return m_steps.empty(); }
    // Grows each time points are dropped by a resume (or clear), so a view that copied
    // points knows to copy again from the start.
    int rewinds() const { return m_rewinds; }

    const std::vector<double> &steps() const { return m_steps; }
    const std::vector<double> &wallTimes() const { return m_wallTimes; }
    const std::vector<double> &losses() const { return m_losses; }
    const std::vector<double> &learningRates() const { return m_learningRates; }
    const std::vector<double> &gradNorms() const { return m_gradNorms; }
    const std::vector<double> &samplesPerSecond() const { return m_samplesPerSecond; }
    const std::vector<double> &dataWaitSeconds() const { return m_dataWaitSeconds; }
    const std::vector<SampleEvent> &samples() const { return m_samples; }
    const std::vector<Checkpoint> &checkpoints() const { return m_checkpoints; }

    // The index of the point whose step (or wall time) is nearest to `key`; -1 when empty.
    int nearestIndexByStep(double step) const;
    int nearestIndexByTime(double wallTime) const;
    // The sample event nearest to `step` (by step), or nullptr.
    const SampleEvent *nearestSample(double step) const;

    qint64 lastStep() const { return m_steps.empty() ? -1 : qint64(m_steps.back()); }
    double firstWallTime() const { return m_wallTimes.empty() ? 0 : m_wallTimes.front(); }
    double lastWallTime() const { return m_wallTimes.empty() ? 0 : m_wallTimes.back(); }

private:
    explicit RunSeries(int rewinds);
    void dropFromStep(qint64 step);

    std::vector<double> m_steps;
    std::vector<double> m_wallTimes;
    std::vector<double> m_losses;
    std::vector<double> m_learningRates;
    std::vector<double> m_gradNorms;
    std::vector<double> m_samplesPerSecond;
    std::vector<double> m_dataWaitSeconds;
    std::vector<SampleEvent> m_samples;
    std::vector<Checkpoint> m_checkpoints;
    int m_rewinds = 0;
};

} // namespace rdt
