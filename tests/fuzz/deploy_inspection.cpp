// Fuzzes the trainer deploy's reader of its inspection script's answer (where the trainer,
// cmake and LibTorch are, the installed trainer's `info --json`): no crash, no undefined
// behaviour, and the version comparison it feeds stays total on what it parsed.
#include "DeployInspection.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray output(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto inspection = rdt::DeployInspection::parse(output)) {
        (void)inspection->libtorchCMakeArgument();
        (void)rdt::versionAtLeast(inspection->cmakeVersion, QStringLiteral("3.18"));
        (void)rdt::versionAtLeast(inspection->trainerVersion, inspection->cmakeVersion);
    }
    return 0;
}
