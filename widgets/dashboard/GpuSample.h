// One GPU at one poll (`nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,
// memory.total,temperature.gpu --format=csv -l 2`), the GPU panel's input. -1: not reported.
#pragma once

#include <QString>

namespace rdt {

struct GpuSample {
    int index = 0;
    QString name;
    int utilizationPercent = -1;
    qint64 memoryUsedMiB = -1;
    qint64 memoryTotalMiB = -1;
    int temperatureCelsius = -1;
};

} // namespace rdt
