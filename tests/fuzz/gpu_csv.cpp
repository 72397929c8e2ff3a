// Fuzzes GpuInfo's reader of `nvidia-smi --format=csv,noheader,nounits` output and its
// JSON round trip: no crash, no undefined behaviour in the number conversions.
#include "GpuInfo.h"

#include <QJsonObject>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray csv(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto gpus = rdt::GpuInfo::parseNvidiaSmiCsv(csv)) {
        for (const rdt::GpuInfo &gpu : *gpus)
            (void)rdt::GpuInfo::fromJson(gpu.toJson());
    }
    return 0;
}
