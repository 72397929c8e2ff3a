// Column storage for one run's metrics; see RunSeries.h for the resume rule.
#include "RunSeries.h"

#include <algorithm>
#include <cmath>

namespace rdt {

namespace {

// The index in a sorted column whose value is nearest to `key`.
int nearestIndex(const std::vector<double> &column, double key)
{
    if (column.empty())
        return -1;
    const auto above = std::lower_bound(column.begin(), column.end(), key);
    if (above == column.begin())
        return 0;
    if (above == column.end())
        return int(column.size()) - 1;
    const auto below = above - 1;
    return int((key - *below <= *above - key ? below : above) - column.begin());
}

} // namespace

void RunSeries::append(const MetricPoint &point)
{
    if (!m_steps.empty() && double(point.step) <= m_steps.back())
        dropFromStep(point.step);
    m_steps.push_back(double(point.step));
    m_wallTimes.push_back(point.wallTime);
    m_losses.push_back(point.loss);
    m_learningRates.push_back(point.learningRate);
    m_gradNorms.push_back(point.gradNorm);
    m_samplesPerSecond.push_back(point.samplesPerSecond);
    m_dataWaitSeconds.push_back(point.dataWaitSeconds);
}

void RunSeries::append(qint64 step, double wallTime, double loss, double learningRate, double gradNorm,
                       double samplesPerSecond)
{
    MetricPoint point;
    point.step = step;
    point.wallTime = wallTime;
    point.loss = loss;
    point.learningRate = learningRate;
    point.gradNorm = gradNorm;
    point.samplesPerSecond = samplesPerSecond;
    append(point);
}

void RunSeries::addSample(const SampleEvent &sample)
{
    while (!m_samples.empty() && m_samples.back().step >= sample.step)
        m_samples.pop_back();
    m_samples.push_back(sample);
}

void RunSeries::addCheckpoint(qint64 step, double wallTime)
{
    while (!m_checkpoints.empty() && m_checkpoints.back().step >= step)
        m_checkpoints.pop_back();
    m_checkpoints.push_back({step, wallTime});
}

void RunSeries::setCheckpoints(std::vector<Checkpoint> checkpoints)
{
    std::sort(checkpoints.begin(), checkpoints.end(), [](const Checkpoint &a, const Checkpoint &b) { return a.step < b.step; });
    m_checkpoints = std::move(checkpoints);
}

void RunSeries::clear()
{
    *this = RunSeries{m_rewinds + 1};
}

RunSeries::RunSeries(int rewinds) : m_rewinds(rewinds) {}

void RunSeries::dropFromStep(qint64 step)
{
    const auto keep = size_t(std::lower_bound(m_steps.begin(), m_steps.end(), double(step)) - m_steps.begin());
    for (std::vector<double> *column : {&m_steps, &m_wallTimes, &m_losses, &m_learningRates, &m_gradNorms,
                                        &m_samplesPerSecond, &m_dataWaitSeconds})
        column->resize(keep);
    while (!m_samples.empty() && m_samples.back().step >= step)
        m_samples.pop_back();
    while (!m_checkpoints.empty() && m_checkpoints.back().step >= step)
        m_checkpoints.pop_back();
    ++m_rewinds;
}

int RunSeries::nearestIndexByStep(double step) const
{
    return nearestIndex(m_steps, step);
}

int RunSeries::nearestIndexByTime(double wallTime) const
{
    return nearestIndex(m_wallTimes, wallTime);
}

const SampleEvent *RunSeries::nearestSample(double step) const
{
    if (m_samples.empty())
        return nullptr;
    const auto above = std::lower_bound(m_samples.begin(), m_samples.end(), step,
                                        [](const SampleEvent &sample, double key) { return double(sample.step) < key; });
    if (above == m_samples.begin())
        return &*above;
    if (above == m_samples.end())
        return &m_samples.back();
    const auto below = above - 1;
    return step - double(below->step) <= double(above->step) - step ? &*below : &*above;
}

} // namespace rdt
