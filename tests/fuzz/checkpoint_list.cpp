// Fuzzes the checkpoint list's reader of "@ckpt STEP MTIME BYTES" lines: no crash, no
// undefined behaviour, and no negative step or size accepted.
#include "CheckpointListOutput.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray output(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto checkpoints = rdt::CheckpointListOutput::parse(output, QStringLiteral("run demo"))) {
        for (const rdt::CheckpointInfo &checkpoint : *checkpoints) {
            if (checkpoint.step < 0 || checkpoint.bytes < 0)
                std::abort();
        }
    }
    return 0;
}
