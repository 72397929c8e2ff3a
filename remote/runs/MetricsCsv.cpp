// One map from step to row, filled in file order (later lines win), written in step order.
#include "MetricsCsv.h"

#include <QLocale>

#include <array>
#include <cmath>
#include <map>

namespace rdt {
namespace {

enum Column { Time, Loss, LearningRate, GradNorm, SamplesPerSecond, Epoch, DataWait, SampleMse, SampleL2Error, ColumnCount };

const char *const kHeaders[ColumnCount] = {"time", "loss", "lr", "grad_norm", "samples_per_s", "epoch", "data_wait_s",
                                           "sample_mse", "sample_l2err"};

using Row = std::array<double, ColumnCount>;

Row emptyRow()
{
    Row row;
    row.fill(MetricsEvent::kMissing);
    return row;
}

void set(Row &row, Column column, double value)
{
    if (!std::isnan(value))
        row[column] = value;
}

// The shortest text that reads back as the same double.
QByteArray number(double value)
{
    if (std::isnan(value))
        return {};
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace

QByteArray MetricsCsv::write(const MetricsEventList &events)
{
    std::map<qint64, Row> rows;
    const auto rowAt = [&rows](qint64 step) -> Row & {
        auto it = rows.find(step);
        if (it == rows.end())
            it = rows.emplace(step, emptyRow()).first;
        return it->second;
    };
    for (const MetricsEvent &event : events) {
        if (event.kind == MetricsEvent::Kind::Step) {
            Row &row = rowAt(event.step);
            set(row, Time, event.time);
            set(row, Loss, event.loss);
            set(row, LearningRate, event.learningRate);
            set(row, GradNorm, event.gradNorm);
            set(row, SamplesPerSecond, event.samplesPerSecond);
            set(row, Epoch, event.epoch);
            if (event.dataWaitSeconds)
                set(row, DataWait, *event.dataWaitSeconds);
        } else if (event.kind == MetricsEvent::Kind::Sample) {
            Row &row = rowAt(event.step);
            if (std::isnan(row[Time]))
                set(row, Time, event.time);
            set(row, SampleMse, event.sampleMse);
            set(row, SampleL2Error, event.sampleL2Error);
        }
    }
    std::array<bool, ColumnCount> used{};
    for (const auto &[step, row] : rows)
        for (int c = 0; c < ColumnCount; ++c)
            used[c] = used[c] || !std::isnan(row[c]);

    QByteArray csv = "step";
    for (int c = 0; c < ColumnCount; ++c)
        if (used[c])
            csv += ',' + QByteArray(kHeaders[c]);
    csv += '\n';
    for (const auto &[step, row] : rows) {
        csv += QByteArray::number(step);
        for (int c = 0; c < ColumnCount; ++c)
            if (used[c])
                csv += ',' + number(row[c]);
        csv += '\n';
    }
    return csv;
}

} // namespace rdt
