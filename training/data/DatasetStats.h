// Statistics of a LIBERO dataset in the unified vector, in RDT's dataset_stat.json shape
// plus what tells whether they belong to a given file: each file's MD5 and the counts.
#pragma once

#include "data/DataResult.h"
#include "data/StatsAccumulator.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rdt::data {

struct FileStats {
    std::string path;
    std::string md5;
    int64_t episodes = 0;
    int64_t steps = 0;
};

struct DatasetStats {
    std::string dataset_name;
    VectorStats state;
    VectorStats action;
    std::vector<FileStats> files;
    int64_t episodes = 0;
    int64_t steps = 0;

    // Streams every demo once (one demo's arrays in memory at a time) and every file's bytes
    // for the MD5.
    static DataResult<DatasetStats> compute(const std::string& path, const std::string& datasetName);

    // {"<name>": {"dataset_name", "state_mean", "state_std", "state_min", "state_max",
    //  "action_mean", ..., "md5" (single file), "files": [...], "episodes", "steps"}}
    std::string toJson() const;
};

}  // namespace rdt::data
