// Fuzzes DiskUsage's reader of `df -Pk` output: no crash, no undefined behaviour in the
// kilobyte-to-byte conversion, and no negative or inconsistent sizes accepted.
#include "DiskUsage.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray output(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto usage = rdt::DiskUsage::parseDfPk(output)) {
        if (usage->totalBytes < 0 || usage->usedBytes < 0 || usage->availableBytes < 0)
            std::abort();
    }
    return 0;
}
