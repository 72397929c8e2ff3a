// Computing DatasetStats in one pass and writing them as dataset_stat.json text.
#include "data/DatasetStats.h"

#include "data/LiberoMapping.h"
#include "data/LiberoScan.h"
#include "data/Md5.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace rdt::data {
namespace {

void putVectorStats(nlohmann::ordered_json& out, const std::string& prefix, const VectorStats& stats)
{
    auto list = [](const std::array<double, kStateDim>& values) {
        return nlohmann::ordered_json(std::vector<double>(values.begin(), values.end()));
    };
    out[prefix + "_mean"] = list(stats.mean);
    out[prefix + "_std"] = list(stats.std);
    out[prefix + "_min"] = list(stats.min);
    out[prefix + "_max"] = list(stats.max);
}

}  // namespace

DataResult<DatasetStats> DatasetStats::compute(const std::string& path, const std::string& datasetName)
{
    auto files = datasetFiles(path);
    if (!files)
        return DataError{files.error()};
    DatasetStats stats;
    stats.dataset_name = datasetName.empty() ? datasetStem(path) : datasetName;
    for (const std::string& file : files.value())
        stats.files.push_back(FileStats{file, {}, 0, 0});

    StatsAccumulator states;
    StatsAccumulator actions;
    float unified[kStateDim];
    auto scanned = scanLibero(files.value(), [&](const ScannedDemo& demo) -> DataResult<void> {
        const std::vector<float> quantities = liberoQuantities(demo.arrays);
        for (int t = 0; t < demo.arrays.steps; ++t) {
            const float* step = &quantities[static_cast<size_t>(t) * kLiberoQuantityCount];
            fillUnifiedState(step, unified);
            states.add(unified);
            fillUnifiedAction(step, unified);
            actions.add(unified);
        }
        FileStats& file = stats.files[demo.file_index];
        ++file.episodes;
        file.steps += demo.arrays.steps;
        return {};
    });
    if (!scanned)
        return DataError{scanned.error()};
    for (FileStats& file : stats.files) {
        auto md5 = Md5::ofFile(file.path);
        if (!md5)
            return DataError{md5.error()};
        file.md5 = md5.value();
        stats.episodes += file.episodes;
        stats.steps += file.steps;
    }
    stats.state = states.finish();
    stats.action = actions.finish();
    return stats;
}

std::string DatasetStats::toJson() const
{
    nlohmann::ordered_json entry;
    entry["dataset_name"] = dataset_name;
    putVectorStats(entry, "state", state);
    putVectorStats(entry, "action", action);
    if (files.size() == 1)
        entry["md5"] = files.front().md5;
    nlohmann::ordered_json fileList = nlohmann::ordered_json::array();
    for (const FileStats& file : files) {
        fileList.push_back({{"name", std::filesystem::path(file.path).filename().string()},
                            {"md5", file.md5},
                            {"episodes", file.episodes},
                            {"steps", file.steps}});
    }
    entry["files"] = fileList;
    entry["episodes"] = episodes;
    entry["steps"] = steps;
    nlohmann::ordered_json root;
    root[dataset_name] = entry;
    return root.dump(4);
}

}  // namespace rdt::data
