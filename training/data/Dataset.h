// The training loop's view of LIBERO data: open a file (or a folder of .hdf5 files), then
// take batches from background workers in a fixed, seed-determined order.
#pragma once

#include "data/Batch.h"
#include "data/DataPosition.h"
#include "data/DataResult.h"
#include "data/DatasetOptions.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rdt::data {

struct DatasetInfo {
    std::string name;                 // dataset name (see DatasetOptions::dataset_name)
    std::vector<std::string> files;   // the HDF5 files, sorted
    int64_t episodes = 0;             // episodes in this split
    int64_t steps = 0;                // timesteps in this split (one sample each per epoch)
    int image_height = 0;
    int image_width = 0;
    bool hdf5_threadsafe = false;     // H5is_library_threadsafe(); HDF5 calls are serialised anyway
};

// Use:
//   auto dataset = Dataset::open(args.dataset, options, checkpoint.data_position);
//   if (!dataset) fail(dataset.error());
//   for (step ...) {
//       auto batch = (*dataset)->next();          // blocks only when the workers lag
//       if (!batch) fail(batch.error());
//       metrics.data_wait_s = (*dataset)->takeWaitSeconds();
//       ... checkpoint.data_position = (*dataset)->position();
//   }
class Dataset {
public:
    // Reads and validates every episode's low-dimensional arrays (kept in memory) and starts
    // the workers at `start`. Fails with one line naming the file, demo, dataset and shape.
    static DataResult<std::unique_ptr<Dataset>> open(const std::string& path,
                                                     const DatasetOptions& options,
                                                     const DataPosition& start = {});
    ~Dataset();  // stops and joins the workers; never throws
    Dataset(const Dataset&) = delete;
    Dataset& operator=(const Dataset&) = delete;

    // Blocks until the batch at position() is ready, returns it and advances. An error (for
    // example an image read failing) is returned once and the loader stops.
    DataResult<Batch> next();

    DataPosition position() const;
    const DatasetInfo& info() const;
    // Fractional epochs consumed: samples handed out / steps in the split.
    double epoch() const;
    // Seconds next() spent waiting for workers since the last call (then reset to 0).
    double takeWaitSeconds();

    class Impl;

private:
    explicit Dataset(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace rdt::data
