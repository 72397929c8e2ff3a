// Fuzzes ScriptAnswer::after, which finds a script's answer after its header line among
// whatever a login shell printed first: no crash, and an answer is always a suffix of the
// output that follows the header.
#include "ScriptAnswer.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray output(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const QByteArray &tag : {QByteArray("@rdt-probe 1"), QByteArray("@x")}) {
        if (const auto answer = rdt::ScriptAnswer::after(output, tag)) {
            if (!output.endsWith(*answer) || !output.contains(tag))
                std::abort();
        }
    }
    return 0;
}
