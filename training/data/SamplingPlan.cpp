// SplitMix64-based draws: our own generator and bounded-integer rule, so the sequence does
// not depend on the standard library's distributions (which differ between vendors).
#include "data/SamplingPlan.h"

#include <cassert>

namespace rdt::data {
namespace {

// Steele, Lea, Flood: "Fast splittable pseudorandom number generators" (SplitMix64).
class SplitMix64 {
public:
    explicit SplitMix64(uint64_t state) : m_state(state) {}

    uint64_t next()
    {
        uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, bound) without modulo bias: reject the top partial range.
    uint64_t below(uint64_t bound)
    {
        const uint64_t threshold = (0 - bound) % bound;
        for (;;) {
            const uint64_t x = next();
            if (x >= threshold)
                return x % bound;
        }
    }

    // Uniform in [0, 1) from the top 53 bits.
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    uint64_t m_state;
};

}  // namespace

SamplingPlan::SamplingPlan(uint64_t seed, int batchSize, int64_t steps, double condMaskProb, double camExtMaskProb,
                           SamplingShard shard)
    : m_seed(seed), m_batchSize(batchSize), m_steps(steps), m_condMaskProb(condMaskProb),
      m_camExtMaskProb(camExtMaskProb), m_shardIndex(shard.index), m_shardCount(shard.count),
      m_sampleOffset(shard.sampleOffset)
{
    assert(batchSize > 0 && steps > 0 && m_shardCount > 0 && m_shardIndex >= 0 && m_shardIndex < m_shardCount);
    assert(m_sampleOffset >= 0);
}

SampleDraw SamplingPlan::draw(int64_t batchIndex, int sampleInBatch) const
{
    // One stream per sample: mix the seed and the sample's number through one SplitMix step.
    const uint64_t globalBatch = static_cast<uint64_t>(m_batchSize) * static_cast<uint64_t>(m_shardCount);
    const uint64_t sampleNumber = static_cast<uint64_t>(m_sampleOffset) + static_cast<uint64_t>(batchIndex) * globalBatch +
                                  static_cast<uint64_t>(m_shardIndex) * static_cast<uint64_t>(m_batchSize) +
                                  static_cast<uint64_t>(sampleInBatch);
    SplitMix64 streamSeed(m_seed ^ (sampleNumber * 0xD1B54A32D192ED03ULL));
    SplitMix64 random(streamSeed.next());

    SampleDraw draw;
    draw.step_number = static_cast<int64_t>(random.below(static_cast<uint64_t>(m_steps)));
    // Always draw every coin, even with probability 0, so the stream's use is fixed.
    draw.drop_ctrl_freq = random.unit() < m_condMaskProb;
    draw.drop_state = random.unit() < m_condMaskProb;
    draw.drop_elem_mask = random.unit() < m_condMaskProb;
    for (int slot = 0; slot < kImageSlots; ++slot) {
        const bool exterior = slot % kNumCameras == 0;
        draw.drop_image[slot] = random.unit() < (exterior && m_camExtMaskProb >= 0 ? m_camExtMaskProb : m_condMaskProb);
    }
    draw.drop_language = random.unit() < m_condMaskProb;
    // Drawn last, so the draws above are those of a run without augmentation.
    draw.augment_seed = random.next();
    return draw;
}

}  // namespace rdt::data
