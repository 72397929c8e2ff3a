// One GPU as `nvidia-smi --query-gpu=index,name,memory.total,memory.used,utilization.gpu,
// temperature.gpu --format=csv,noheader,nounits` reports it, and the parser for that output.
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace rdt {

struct GpuInfo {
    int index = 0;
    QString name;                            // "NVIDIA A800-SXM4-80GB"
    std::optional<qint64> memoryTotalMiB;    // empty: nvidia-smi said [N/A] or [Not Supported]
    std::optional<qint64> memoryUsedMiB;
    std::optional<int> utilizationPercent;
    std::optional<int> temperatureCelsius;

    // One GPU per non-empty line. Fields are trimmed; `[N/A]`, `N/A`, `[Not Supported]` and
    // other bracketed notes become empty values. A line with a different number of fields
    // or a non-numeric index is an error naming the line.
    [[nodiscard]] static Result<QList<GpuInfo>> parseNvidiaSmiCsv(const QByteArray &output);

    // Another process holds memory or compute on it (see the thresholds in the .cpp).
    bool isBusy() const;

    // Absent values are JSON null.
    QJsonObject toJson() const;
    static GpuInfo fromJson(const QJsonObject &object);
};

} // namespace rdt
