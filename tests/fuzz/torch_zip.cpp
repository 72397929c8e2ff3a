// Fuzzes ZipArchive, the reader of the zip container torch.save writes (central directory,
// zip64 records, local headers): no crash, no undefined behaviour, no read outside the
// file, and every record it lists reads back with its stated size. The input is written to
// a scratch file, since the archive reads from a path.
#include "model/TrainerError.h"
#include "weights/ZipArchive.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

const std::string &scratchFile()
{
    static const std::string path = [] {
        char name[] = "/tmp/rdt-fuzz-torch-zip-XXXXXX";
        const int fd = mkstemp(name);
        if (fd < 0)
            std::abort();
        close(fd);
        return std::string(name);
    }();
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string &path = scratchFile();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char *>(data), std::streamsize(size));
    }
    try {
        rdt::ZipArchive archive(path);
        for (const std::string &name : archive.names()) {
            // A record can claim no more bytes than the file holds.
            if (archive.size(name) > size)
                std::abort();
            (void)archive.readString(name);
        }
    } catch (const rdt::TrainerError &) {
    }
    return 0;
}
