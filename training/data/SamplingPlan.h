// The deterministic sampling sequence: which step and which condition dropouts the b-th
// sample of batch k gets is a pure function of (seed, k, b), so any worker may build any
// batch and a resumed run sees the same batches as an uninterrupted one.
#pragma once

#include "data/Layout.h"

#include <array>
#include <cstdint>

namespace rdt::data {

// One sample's draws. The dropouts mirror RDT's VLAConsumerDataset.__getitem__, each an
// independent coin with probability cond_mask_prob.
struct SampleDraw {
    int64_t step_number = 0;        // in [0, steps): the catalog's global step
    bool drop_ctrl_freq = false;    // ctrl_freq -> 0
    bool drop_state = false;        // state -> the dataset's mean state
    bool drop_elem_mask = false;    // state_elem_mask -> zeros
    bool drop_language = false;     // instruction -> "" (the empty embedding)
    std::array<bool, kImageSlots> drop_image{};  // per (history, camera) slot -> background
    uint64_t augment_seed = 0;      // seeds this sample's augmentations (ImageAugment, state noise)
};

// Which slice of the sequence one process draws. A struct rather than trailing integers so
// a rank can never slide into the probability's place unnoticed.
struct SamplingShard {
    int index = 0;              // this process's rank
    int count = 1;              // the world size
    int64_t sampleOffset = 0;   // the sample number batch 0 starts at (DataPosition::sample_offset)
};

// A data-parallel run shards the sequence: with shardCount ranks each taking batches of
// batchSize, global batch k is samples [k*B*n, (k+1)*B*n) and rank r's batch k is its r-th
// slice of B. The ranks never share a sample number, and together they see exactly the
// samples one process with batch B*n sees (so n x B matches 1 x nB). shardCount 1 is the
// unsharded sequence.
class SamplingPlan {
public:
    // camExtMaskProb >= 0 replaces condMaskProb for the exterior camera's slots, as RDT's
    // cam_ext_mask_prob does.
    SamplingPlan(uint64_t seed, int batchSize, int64_t steps, double condMaskProb, double camExtMaskProb = -1.0,
                 SamplingShard shard = {});

    SampleDraw draw(int64_t batchIndex, int sampleInBatch) const;
    uint64_t seed() const { return m_seed; }
    int batchSize() const { return m_batchSize; }

private:
    uint64_t m_seed;
    int m_batchSize;
    int64_t m_steps;
    double m_condMaskProb;
    double m_camExtMaskProb;
    int m_shardIndex;
    int m_shardCount;
    int64_t m_sampleOffset;
};

}  // namespace rdt::data
