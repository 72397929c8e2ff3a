// Where the deterministic sampling sequence stands: saved in a checkpoint, handed back to
// Dataset::open to resume so that the batches after resuming equal an uninterrupted run's.
#pragma once

#include <cstdint>

namespace rdt::data {

struct DataPosition {
    uint64_t seed = 0;         // the sequence's seed (--seed)
    int64_t next_batch = 0;    // index of the next batch Dataset::next() returns
};

}  // namespace rdt::data
