// Where the deterministic sampling sequence stands: saved in a checkpoint, handed back to
// Dataset::open to resume so that the batches after resuming equal an uninterrupted run's.
#pragma once

#include <cstdint>

namespace rdt::data {

struct DataPosition {
    uint64_t seed = 0;         // the sequence's seed (--seed)
    int64_t next_batch = 0;    // index of the next batch Dataset::next() returns
    // The sample number batch 0 starts at. A resume continues at the checkpoint's next sample
    // with batch 0, so it neither repeats nor skips a sample of the sequence even when the
    // global batch (batch size x world size) differs from the interrupted run's.
    int64_t sample_offset = 0;

    // The number of the next sample: what a checkpoint records.
    int64_t nextSample(int64_t globalBatch) const { return sample_offset + next_batch * globalBatch; }
};

}  // namespace rdt::data
