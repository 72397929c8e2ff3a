// Finding a dataset's HDF5 files (one file, or every *.hdf5 / *.h5 in a folder) and walking
// their demos one at a time, so callers can stream with bounded memory.
#pragma once

#include "data/DataResult.h"
#include "data/LiberoFile.h"

#include <functional>
#include <string>
#include <vector>

namespace rdt::data {

// The files of a dataset path, sorted by name so every run sees them in the same order.
DataResult<std::vector<std::string>> datasetFiles(const std::string& path);
// The name RDT's dataset_stat.json keys by: the file's stem or the folder's name.
std::string datasetStem(const std::string& path);

struct ScannedDemo {
    int file_index = 0;
    const LiberoFile* file = nullptr;
    const std::string* instruction = nullptr;
    LiberoDemoArrays arrays;
};

// Calls visit for every demo of every file in order; stops at the first error (its own or
// the visitor's).
DataResult<void> scanLibero(const std::vector<std::string>& files,
                            const std::function<DataResult<void>(const ScannedDemo&)>& visit);

}  // namespace rdt::data
