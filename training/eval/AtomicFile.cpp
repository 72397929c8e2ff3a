// Temp name, write, flush, rename.
#include "eval/AtomicFile.h"

#include "model/TrainerError.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace rdt {

void writeFileAtomically(const std::string &path, const std::string &contents)
{
    const std::filesystem::path target(path);
    const std::string temp = (target.parent_path() / ("." + target.filename().string() + ".tmp")).string();
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) {
            const std::string reason = std::strerror(errno);
            throw TrainerError("write " + path + ": cannot create " + temp + ": " + reason);
        }
        out << contents;
        out.flush();
        if (!out) {
            const std::string reason = std::strerror(errno);
            out.close();
            std::remove(temp.c_str());
            throw TrainerError("write " + path + ": " + reason + " (disk full?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, target, ec);
    if (ec) {
        std::remove(temp.c_str());
        throw TrainerError("write " + path + ": rename from " + temp + ": " + ec.message());
    }
}

} // namespace rdt
