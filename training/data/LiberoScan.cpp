// Dataset path resolution and the demo-by-demo walk shared by the loader and `stats`.
#include "data/LiberoScan.h"

#include <algorithm>
#include <filesystem>

namespace rdt::data {
namespace fs = std::filesystem;

namespace {

bool isHdf5Name(const fs::path& path)
{
    const std::string extension = path.extension().string();
    return extension == ".hdf5" || extension == ".h5";
}

}  // namespace

DataResult<std::vector<std::string>> datasetFiles(const std::string& path)
{
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        return DataError{path + ": no such file or folder"};
    if (!fs::is_directory(status))
        return std::vector<std::string>{path};
    std::vector<std::string> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file() && isHdf5Name(entry.path()))
            files.push_back(entry.path().string());
    }
    if (ec)
        return DataError{path + ": cannot list the folder: " + ec.message()};
    if (files.empty())
        return DataError{path + ": the folder holds no .hdf5 or .h5 files"};
    std::sort(files.begin(), files.end());
    return files;
}

std::string datasetStem(const std::string& path)
{
    fs::path p(path);
    while (!p.empty() && p.filename().empty())
        p = p.parent_path();  // "libero_10/" -> "libero_10"
    if (isHdf5Name(p))
        return p.stem().string();
    return p.filename().string();
}

DataResult<void> scanLibero(const std::vector<std::string>& files,
                            const std::function<DataResult<void>(const ScannedDemo&)>& visit)
{
    for (size_t i = 0; i < files.size(); ++i) {
        auto file = LiberoFile::open(files[i]);
        if (!file)
            return DataError{file.error()};
        auto instruction = file->instruction();
        if (!instruction)
            return DataError{instruction.error()};
        auto demos = file->demoNames();
        if (!demos)
            return DataError{demos.error()};
        for (const std::string& demo : demos.value()) {
            auto arrays = file->readDemo(demo);
            if (!arrays)
                return DataError{arrays.error()};
            ScannedDemo scanned;
            scanned.file_index = static_cast<int>(i);
            scanned.file = &file.value();
            scanned.instruction = &instruction.value();
            scanned.arrays = std::move(arrays.value());
            auto visited = visit(scanned);
            if (!visited)
                return visited;
        }
    }
    return {};
}

}  // namespace rdt::data
