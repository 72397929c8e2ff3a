// A read-only view of the zip files that torch.save writes: stored (uncompressed) records,
// zip64 where offsets pass 4 GB. Compressed records are refused with a clear error, since
// PyTorch never writes them.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace rdt {

class ZipArchive {
public:
    // Reads the central directory; throws TrainerError naming the file and the problem.
    explicit ZipArchive(const std::string &path);

    const std::string &path() const { return m_path; }
    std::vector<std::string> names() const;
    bool contains(const std::string &name) const { return m_records.count(name) != 0; }
    uint64_t size(const std::string &name) const;

    // Copies record `name` into dest, which holds size(name) bytes.
    void read(const std::string &name, void *dest);
    std::string readString(const std::string &name);

private:
    struct Record {
        uint64_t localHeaderOffset = 0;
        uint64_t size = 0;
        uint16_t method = 0;
    };

    void readAt(uint64_t offset, void *dest, uint64_t bytes);

    std::string m_path;
    std::ifstream m_file;
    uint64_t m_fileSize = 0;
    std::map<std::string, Record> m_records;
};

} // namespace rdt
