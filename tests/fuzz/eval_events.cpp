// Fuzzes EvalEvent::fromLine over each line of an events.jsonl: no crash, no undefined
// behaviour in the integer fields (episodes, index, steps) read from JSON numbers.
#include "EvalEvent.h"

#include <QList>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const QByteArray &line : bytes.split('\n'))
        (void)rdt::EvalEvent::fromLine(line);
    return 0;
}
