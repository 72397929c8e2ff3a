// Fuzzes the run list's reader of its scan script's answer (tagged lines, counted metrics
// blocks) and the summary of each run: no crash, no undefined behaviour in the numbers
// (pids, exit statuses, steps, times) a server sends.
#include "RunListOutput.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray output(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto runs = rdt::RunListOutput::parse(output, QStringLiteral("~/rdt"))) {
        for (const rdt::RunFacts &facts : *runs)
            (void)rdt::RunListOutput::summarise(facts).toJson();
    }
    return 0;
}
