// Data-parallel gradient averaging: the parameters' gradients are packed into buckets of
// about 25 MB (RDT_DDP_BUCKET_MB), and each bucket's all-reduce starts from a gradient hook
// as soon as backward has produced all of its gradients, so communication overlaps the rest
// of backward as in PyTorch's DistributedDataParallel. The reduction is a sum then a
// division by the world size (Gloo has no average). Without a process group it does nothing.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace c10d {
class Work;
}

namespace rdt::dist {

struct ProcessGroupHandle;

class GradientReducer {
public:
    // Registers one hook per parameter (none when group is null). Buckets follow the
    // parameters in reverse order, roughly the order backward produces their gradients.
    GradientReducer(std::shared_ptr<ProcessGroupHandle> group, std::vector<at::Tensor> params,
                    int64_t bucketBytes = defaultBucketBytes());
    ~GradientReducer();
    GradientReducer(const GradientReducer &) = delete;
    GradientReducer &operator=(const GradientReducer &) = delete;

    // Call before each backward. Only the last micro-batch of a step reduces (as DDP's
    // no_sync): earlier ones accumulate locally.
    void beforeBackward(bool lastMicroBatch);
    // After the last backward: starts the buckets the hooks did not, waits for all, and
    // leaves every rank's .grad equal to the mean over ranks. Throws TrainerError.
    void finish();

    size_t bucketCount() const { return m_buckets.size(); }
    static int64_t defaultBucketBytes();

private:
    struct Slot {
        size_t bucket = 0;
        int64_t offset = 0;
        bool seen = false;
    };
    struct Bucket {
        at::Tensor flat;
        std::vector<size_t> params;
        size_t ready = 0;
        bool launched = false;
        c10::intrusive_ptr<::c10d::Work> work;
    };

    void onGradient(size_t index, const at::Tensor &grad);
    void launchInOrder(); // buckets start in index order on every rank, as collectives must
    void launch(Bucket &bucket);
    at::Tensor view(size_t index) const;

    std::shared_ptr<ProcessGroupHandle> m_group;
    std::vector<at::Tensor> m_params;
    std::vector<Slot> m_slots;
    std::vector<unsigned> m_hooks;
    std::vector<Bucket> m_buckets;
    size_t m_nextLaunch = 0;
    bool m_armed = false;
    bool m_hookFiredTwice = false;
    std::mutex m_mutex;
};

} // namespace rdt::dist
