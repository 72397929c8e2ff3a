// Fuzzes RemoteChecksumParser with arbitrary server output. Beyond "no crash, no undefined
// behaviour": every path a listing, hash answer or cache accepts must be one that
// SafeRelativePath accepts, since callers join them to a local root.
#include "RemoteChecksumParser.h"
#include "SafeRelativePath.h"

#include <cstdint>
#include <cstdlib>

namespace {

void requireSafe(const QByteArray &path)
{
    if (!rdt::SafeRelativePath::problem(path).isEmpty())
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray output(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto listing = rdt::RemoteChecksumParser::parseListing(output)) {
        for (const rdt::RemoteListedFile &file : listing->files)
            requireSafe(file.path);
        for (auto it = listing->cache.cbegin(); it != listing->cache.cend(); ++it)
            requireSafe(it.key());
    }
    if (const auto hashes = rdt::RemoteChecksumParser::parseHashes(output)) {
        for (auto it = hashes->md5.cbegin(); it != hashes->md5.cend(); ++it)
            requireSafe(it.key());
        for (auto it = hashes->after.cbegin(); it != hashes->after.cend(); ++it)
            requireSafe(it.key());
    }
    (void)rdt::RemoteChecksumParser::parseSaved(output);
    const rdt::RemoteCache cache = rdt::RemoteChecksumParser::parseCache(output);
    // A cache read back must format to bytes that read back the same.
    if (rdt::RemoteChecksumParser::parseCache(rdt::RemoteChecksumParser::formatCache(cache)).size() != cache.size())
        std::abort();
    qsizetype offset = 0;
    (void)rdt::RemoteChecksumParser::takeHashedPaths(output, &offset);
    qint64 nanoseconds = 0;
    (void)rdt::RemoteChecksumParser::parseTimestamp(output.left(40), &nanoseconds);
    return 0;
}
