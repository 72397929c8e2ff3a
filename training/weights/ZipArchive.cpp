// Zip central directory reader (PKWARE APPNOTE 6.3: end of central directory, zip64 end
// record and locator, central file headers, local file headers).
#include "weights/ZipArchive.h"

#include "model/TrainerError.h"

#include <algorithm>
#include <filesystem>

namespace rdt {
namespace {

constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kZip64EndLocator = 0x07064b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr uint16_t kMethodStored = 0;
// The end record is 22 bytes plus a comment of at most 65535 bytes.
constexpr uint64_t kEndSearchWindow = 22 + 65535;

uint16_t u16(const unsigned char *p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t u32(const unsigned char *p) { return u16(p) | (static_cast<uint32_t>(u16(p + 2)) << 16); }
uint64_t u64(const unsigned char *p) { return u32(p) | (static_cast<uint64_t>(u32(p + 4)) << 32); }

} // namespace

ZipArchive::ZipArchive(const std::string &path) : m_path(path), m_file(path, std::ios::binary)
{
    if (!m_file)
        throw TrainerError("read " + path + ": cannot open file");
    std::error_code ec;
    m_fileSize = std::filesystem::file_size(path, ec);
    if (ec || m_fileSize < 22)
        throw TrainerError(path + ": not a zip archive (too short)");

    const uint64_t window = std::min(m_fileSize, kEndSearchWindow);
    std::vector<unsigned char> tail(window);
    readAt(m_fileSize - window, tail.data(), window);
    int64_t endPos = -1;
    for (int64_t i = static_cast<int64_t>(window) - 22; i >= 0; --i) {
        if (u32(&tail[i]) == kEndOfCentralDirectory) {
            endPos = i;
            break;
        }
    }
    if (endPos < 0)
        throw TrainerError(path + ": not a zip archive (no end of central directory); "
                           "files from torch.save before PyTorch 1.6 (legacy format) are not supported");
    const unsigned char *end = &tail[endPos];
    uint64_t entries = u16(end + 10);
    uint64_t directorySize = u32(end + 12);
    uint64_t directoryOffset = u32(end + 16);
    const uint64_t endOffset = m_fileSize - window + endPos;
    if ((entries == 0xffff || directorySize == 0xffffffff || directoryOffset == 0xffffffff) && endOffset >= 20) {
        unsigned char locator[20];
        readAt(endOffset - 20, locator, 20);
        if (u32(locator) == kZip64EndLocator) {
            unsigned char end64[56];
            readAt(u64(locator + 8), end64, 56);
            if (u32(end64) != kZip64End)
                throw TrainerError(path + ": zip64 end record missing where its locator points");
            entries = u64(end64 + 32);
            directorySize = u64(end64 + 40);
            directoryOffset = u64(end64 + 48);
        }
    }
    // Compared without adding: zip64 fields are untrusted 64-bit numbers whose sum can wrap.
    if (directoryOffset > m_fileSize || directorySize > m_fileSize - directoryOffset)
        throw TrainerError(path + ": central directory lies beyond the end of the file (truncated?)");

    std::vector<unsigned char> directory(directorySize);
    readAt(directoryOffset, directory.data(), directorySize);
    uint64_t pos = 0;
    for (uint64_t n = 0; n < entries; ++n) {
        if (pos + 46 > directorySize || u32(&directory[pos]) != kCentralHeader)
            throw TrainerError(path + ": central directory entry " + std::to_string(n) + " is corrupt");
        const unsigned char *h = &directory[pos];
        Record record;
        record.method = u16(h + 10);
        uint64_t compressed = u32(h + 20);
        record.size = u32(h + 24);
        const uint16_t nameLength = u16(h + 28), extraLength = u16(h + 30), commentLength = u16(h + 32);
        record.localHeaderOffset = u32(h + 42);
        if (pos + 46 + nameLength + extraLength > directorySize)
            throw TrainerError(path + ": central directory entry " + std::to_string(n) + " is truncated");
        const std::string name(reinterpret_cast<const char *>(h + 46), nameLength);
        // zip64 extra field: the 64-bit values, in this order, of the fields that are all ones.
        const unsigned char *extra = h + 46 + nameLength;
        for (uint16_t e = 0; e + 4 <= extraLength;) {
            const uint16_t id = u16(extra + e), length = u16(extra + e + 2);
            if (id == kZip64ExtraId) {
                const unsigned char *v = extra + e + 4;
                const unsigned char *vEnd = v + length;
                if (record.size == 0xffffffff && v + 8 <= vEnd) { record.size = u64(v); v += 8; }
                if (compressed == 0xffffffff && v + 8 <= vEnd) { compressed = u64(v); v += 8; }
                if (record.localHeaderOffset == 0xffffffff && v + 8 <= vEnd) { record.localHeaderOffset = u64(v); }
            }
            e += 4 + length;
        }
        if (record.method == kMethodStored && compressed != record.size)
            throw TrainerError(path + ": record " + name + " is stored but its sizes differ");
        // Checked here, not only at read time: callers size their buffers from size(), and a
        // truncated or damaged file claiming gigabytes must not make them allocate that much.
        if (record.size > m_fileSize || record.localHeaderOffset > m_fileSize)
            throw TrainerError(path + ": record " + name + " claims " + std::to_string(record.size) +
                               " bytes at offset " + std::to_string(record.localHeaderOffset) + ", past the " +
                               std::to_string(m_fileSize) + "-byte file (truncated?)");
        m_records[name] = record;
        pos += 46 + nameLength + extraLength + commentLength;
    }
}

std::vector<std::string> ZipArchive::names() const
{
    std::vector<std::string> result;
    for (const auto &[name, record] : m_records)
        result.push_back(name);
    return result;
}

uint64_t ZipArchive::size(const std::string &name) const
{
    const auto it = m_records.find(name);
    if (it == m_records.end())
        throw TrainerError(m_path + ": no record " + name);
    return it->second.size;
}

void ZipArchive::read(const std::string &name, void *dest)
{
    const auto it = m_records.find(name);
    if (it == m_records.end())
        throw TrainerError(m_path + ": no record " + name);
    const Record &record = it->second;
    if (record.method != kMethodStored)
        throw TrainerError(m_path + ": record " + name + " is compressed (method " +
                           std::to_string(record.method) + "); torch.save writes stored records only");
    unsigned char local[30];
    readAt(record.localHeaderOffset, local, 30);
    if (u32(local) != kLocalHeader)
        throw TrainerError(m_path + ": local header of " + name + " is corrupt");
    // The local extra field differs from the central one (PyTorch pads it to align data).
    const uint64_t dataOffset = record.localHeaderOffset + 30 + u16(local + 26) + u16(local + 28);
    if (dataOffset > m_fileSize || record.size > m_fileSize - dataOffset)
        throw TrainerError(m_path + ": record " + name + " runs past the end of the file (truncated?)");
    readAt(dataOffset, dest, record.size);
}

std::string ZipArchive::readString(const std::string &name)
{
    std::string text(size(name), '\0');
    read(name, text.data());
    return text;
}

void ZipArchive::readAt(uint64_t offset, void *dest, uint64_t bytes)
{
    if (offset + bytes > m_fileSize)
        throw TrainerError(m_path + ": read of " + std::to_string(bytes) + " bytes at " + std::to_string(offset) +
                           " past the end of the file (truncated?)");
    m_file.clear();
    m_file.seekg(static_cast<std::streamoff>(offset));
    m_file.read(static_cast<char *>(dest), static_cast<std::streamsize>(bytes));
    if (!m_file)
        throw TrainerError(m_path + ": read of " + std::to_string(bytes) + " bytes at " + std::to_string(offset) + " failed");
}

} // namespace rdt
