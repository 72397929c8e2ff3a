// A run's metrics as CSV, one row per step: the step, its time, and every metric the run
// logged (loss, lr, grad_norm, samples_per_s, epoch, data_wait_s, and the sample MSE and L2
// error at the steps that sampled). For a spreadsheet or pandas, what `rdtctl export --csv`
// and the dashboard's export write.
#pragma once

#include "MetricsEvent.h"

#include <QByteArray>

namespace rdt {

class MetricsCsv {
public:
    // Columns no event filled are left out, so an older trainer's file gets no empty
    // data_wait_s column. A step logged twice (a resume logs again from its checkpoint)
    // keeps the values logged last. Rows are in step order; missing values are empty cells.
    [[nodiscard]] static QByteArray write(const MetricsEventList &events);
};

} // namespace rdt
