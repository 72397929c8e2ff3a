// Fuzzes MetricsLineParser with arbitrary metrics.jsonl bytes, fed in two pieces (as a
// follower receives them): no crash, no undefined behaviour (the integer casts of JSON
// numbers among them), and never an offset past what was fed.
#include "MetricsLineParser.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype cut = bytes.isEmpty() ? 0 : qsizetype(uint8_t(bytes.at(0))) % (bytes.size() + 1);
    rdt::MetricsLineParser parser;
    (void)parser.feed(bytes.left(cut));
    (void)parser.feed(bytes.mid(cut));
    if (parser.completeOffset() > bytes.size())
        std::abort();
    QString problem;
    (void)rdt::MetricsLineParser::parseLine(bytes, &problem);
    return 0;
}
