// Bucketed, overlapped gradient all-reduce. A leaf's gradient hook runs before the gradient
// is added into .grad, so the hook writes (.grad so far + this gradient) into the bucket:
// that is the value .grad will hold, micro-batches of gradient accumulation included.
#include "dist/GradientReducer.h"

#include "dist/ProcessGroupHandle.h"
#include "model/TrainerError.h"

#include <torch/torch.h>

#include <cstdlib>

namespace rdt::dist {

int64_t GradientReducer::defaultBucketBytes()
{
    const char *text = std::getenv("RDT_DDP_BUCKET_MB");
    const double megabytes = text && *text ? std::atof(text) : 25.0; // DDP's default
    return static_cast<int64_t>((megabytes > 0 ? megabytes : 25.0) * 1024 * 1024);
}

GradientReducer::GradientReducer(std::shared_ptr<ProcessGroupHandle> group, std::vector<at::Tensor> params,
                                 int64_t bucketBytes)
    : m_group(std::move(group)), m_params(std::move(params)), m_slots(m_params.size())
{
    if (!m_group)
        return;
    // Reverse order; a bucket holds one dtype on one device and closes at bucketBytes.
    std::vector<int64_t> sizes;
    for (size_t k = m_params.size(); k-- > 0;) {
        const at::Tensor &p = m_params[k];
        const bool startNew = m_buckets.empty() || sizes.back() >= bucketBytes ||
                              m_params[m_buckets.back().params.front()].scalar_type() != p.scalar_type() ||
                              m_params[m_buckets.back().params.front()].device() != p.device();
        if (startNew) {
            m_buckets.emplace_back();
            sizes.push_back(0);
        }
        Bucket &bucket = m_buckets.back();
        m_slots[k] = {m_buckets.size() - 1, sizes.back() / static_cast<int64_t>(p.element_size()), false};
        bucket.params.push_back(k);
        sizes.back() += p.numel() * static_cast<int64_t>(p.element_size());
    }
    for (size_t b = 0; b < m_buckets.size(); ++b) {
        const at::Tensor &first = m_params[m_buckets[b].params.front()];
        m_buckets[b].flat = torch::zeros({sizes[b] / static_cast<int64_t>(first.element_size())}, first.options());
    }
    for (size_t k = 0; k < m_params.size(); ++k)
        m_hooks.push_back(m_params[k].register_hook([this, k](const at::Tensor &grad) { onGradient(k, grad); }));
}

GradientReducer::~GradientReducer()
{
    for (size_t k = 0; k < m_hooks.size(); ++k)
        m_params[k].remove_hook(m_hooks[k]);
}

at::Tensor GradientReducer::view(size_t index) const
{
    const Slot &slot = m_slots[index];
    const at::Tensor &p = m_params[index];
    return m_buckets[slot.bucket].flat.narrow(0, slot.offset, p.numel()).view(p.sizes());
}

void GradientReducer::beforeBackward(bool lastMicroBatch)
{
    if (!m_group)
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_armed = lastMicroBatch;
}

void GradientReducer::onGradient(size_t index, const at::Tensor &grad)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_armed || !grad.defined())
        return;
    torch::NoGradGuard noGrad;
    Slot &slot = m_slots[index];
    Bucket &bucket = m_buckets[slot.bucket];
    if (slot.seen || bucket.launched) {
        // A second gradient for one parameter in one backward (a nested backward): finish()
        // reduces everything again from the completed .grad.
        m_hookFiredTwice = true;
        return;
    }
    const at::Tensor &accumulated = m_params[index].grad();
    at::Tensor target = view(index);
    if (accumulated.defined())
        torch::add_out(target, accumulated, grad);
    else
        target.copy_(grad);
    slot.seen = true;
    if (++bucket.ready == bucket.params.size())
        launchInOrder();
}

void GradientReducer::launch(Bucket &bucket)
{
    std::vector<at::Tensor> slot = {bucket.flat};
    bucket.work = m_group->backend->allreduce(slot);
    bucket.launched = true;
}

void GradientReducer::launchInOrder()
{
    while (m_nextLaunch < m_buckets.size() && m_buckets[m_nextLaunch].ready == m_buckets[m_nextLaunch].params.size())
        launch(m_buckets[m_nextLaunch++]);
}

void GradientReducer::finish()
{
    if (!m_group)
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    torch::NoGradGuard noGrad;
    m_armed = false;
    // Which parameters have a gradient on some rank: one that has none anywhere keeps no
    // .grad, as in a single process (AdamW then leaves it alone).
    std::vector<float> presentHere(m_params.size(), 0.0f);
    for (size_t k = 0; k < m_params.size(); ++k)
        presentHere[k] = m_slots[k].seen || m_params[k].grad().defined() ? 1.0f : 0.0f;
    // Parameters whose hook did not run (no gradient this step on this rank) take .grad
    // as it is, or zeros; then the remaining buckets start, in order.
    for (size_t k = 0; k < m_params.size(); ++k) {
        Slot &slot = m_slots[k];
        if (slot.seen || m_buckets[slot.bucket].launched)
            continue;
        const at::Tensor &grad = m_params[k].grad();
        if (grad.defined())
            view(k).copy_(grad);
        else
            view(k).zero_();
        slot.seen = true;
        ++m_buckets[slot.bucket].ready;
    }
    launchInOrder();
    // Started after every bucket, so all ranks issue their collectives in one order.
    std::vector<at::Tensor> presentSlot = {
        torch::from_blob(presentHere.data(), {static_cast<int64_t>(presentHere.size())}, torch::kFloat32)
            .to(m_group->scalar_device, /*non_blocking=*/false, /*copy=*/true)};
    const auto presentWork = m_group->backend->allreduce(presentSlot);
    m_group->wait(presentWork, "the gradient all-reduce");
    for (Bucket &bucket : m_buckets)
        m_group->wait(bucket.work, "the gradient all-reduce");
    if (m_hookFiredTwice) {
        // Same model on every rank, so every rank takes this path together.
        for (size_t k = 0; k < m_params.size(); ++k) {
            const at::Tensor &grad = m_params[k].grad();
            if (grad.defined())
                view(k).copy_(grad);
            else
                view(k).zero_();
        }
        for (Bucket &bucket : m_buckets)
            launch(bucket);
        for (Bucket &bucket : m_buckets)
            m_group->wait(bucket.work, "the gradient all-reduce");
    }
    for (Bucket &bucket : m_buckets)
        bucket.flat.div_(m_group->world_size);
    const at::Tensor presentOnCpu = presentSlot[0].cpu();
    const float *presentAt = presentOnCpu.data_ptr<float>();
    for (size_t k = 0; k < m_params.size(); ++k) {
        if (presentAt[k] == 0.0f)
            continue;
        at::Tensor &grad = m_params[k].mutable_grad();
        if (grad.defined())
            grad.copy_(view(k));
        else
            grad = view(k).clone();
    }
    for (Slot &slot : m_slots)
        slot.seen = false;
    for (Bucket &bucket : m_buckets) {
        bucket.ready = 0;
        bucket.launched = false;
        bucket.work.reset();
    }
    m_nextLaunch = 0;
    m_hookFiredTwice = false;
}

} // namespace rdt::dist
