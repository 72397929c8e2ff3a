// The background loader behind Dataset: workers claim batch indices in order, build them
// with their own BatchBuilder (and HDF5 handles), and park them in a bounded reorder buffer
// from which next() hands them out strictly in index order.
#include "data/Dataset.h"

#include "data/BatchBuilder.h"
#include "data/Hdf5Lock.h"
#include "data/LiberoCatalog.h"
#include "data/LiberoScan.h"
#include "data/SamplingPlan.h"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace rdt::data {

class Dataset::Impl {
public:
    Impl(LiberoCatalog catalog, const DatasetOptions& options, const DataPosition& start,
         DatasetInfo info)
        : m_catalog(std::move(catalog)),
          m_plan(start.seed, options.batch_size, m_catalog.steps(), options.cond_mask_prob,
                 options.augment.cam_ext_mask_prob,
                 SamplingShard{options.shard_index, options.shard_count, start.sample_offset}),
          m_options(options), m_info(std::move(info)), m_sampleOffset(start.sample_offset), m_nextClaim(start.next_batch),
          m_nextTake(start.next_batch)
    {
        if (m_options.num_workers == 0)
            m_inlineBuilder = std::make_unique<BatchBuilder>(m_catalog, m_plan, m_options.augment);
        for (int i = 0; i < m_options.num_workers; ++i)
            m_workers.emplace_back([this] { work(); });
    }

    ~Impl()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stopping = true;
        }
        m_workWanted.notify_all();
        for (std::thread& worker : m_workers)
            worker.join();
    }

    DataResult<Batch> next()
    {
        if (m_inlineBuilder) {
            if (!m_failure.empty())
                return DataError{m_failure};
            const auto started = std::chrono::steady_clock::now();
            DataResult<Batch> batch = buildGuarded(*m_inlineBuilder, m_nextTake);
            std::lock_guard<std::mutex> lock(m_mutex);
            m_waitSeconds += secondsSince(started);
            if (batch)
                ++m_nextTake;
            else
                m_failure = batch.error();
            return batch;
        }
        std::unique_lock<std::mutex> lock(m_mutex);
        if (!m_failure.empty())
            return DataError{m_failure};
        const auto started = std::chrono::steady_clock::now();
        m_batchReady.wait(lock, [this] { return m_ready.count(m_nextTake) != 0; });
        m_waitSeconds += secondsSince(started);
        auto found = m_ready.find(m_nextTake);
        DataResult<Batch> batch = std::move(found->second);
        m_ready.erase(found);
        if (!batch) {
            // The first failure is reported once; later calls repeat it, nothing is built.
            m_failure = batch.error();
            m_stopping = true;
        } else {
            ++m_nextTake;
        }
        lock.unlock();
        m_workWanted.notify_all();
        return batch;
    }

    DataPosition position() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return DataPosition{m_plan.seed(), m_nextTake, m_sampleOffset};
    }

    double epoch() const
    {
        const DataPosition at = position();
        return static_cast<double>(at.nextSample(int64_t(m_options.batch_size) * m_options.shard_count)) /
               static_cast<double>(m_catalog.steps());
    }

    double takeWaitSeconds()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const double seconds = m_waitSeconds;
        m_waitSeconds = 0;
        return seconds;
    }

    const DatasetInfo& info() const { return m_info; }

private:
    static double secondsSince(std::chrono::steady_clock::time_point started)
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }

    // No exception crosses the thread: LibTorch's allocation failures become errors.
    static DataResult<Batch> buildGuarded(BatchBuilder& builder, int64_t index)
    {
        try {
            return builder.build(index);
        } catch (const std::exception& e) {
            return DataError{"building batch " + std::to_string(index) + ": " + e.what()};
        }
    }

    void work()
    {
        BatchBuilder builder(m_catalog, m_plan, m_options.augment);
        for (;;) {
            int64_t index = 0;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                // Bounded: never more than prefetch_batches built or in flight ahead of the consumer.
                m_workWanted.wait(lock, [this] {
                    return m_stopping || m_nextClaim < m_nextTake + m_options.prefetch_batches;
                });
                if (m_stopping)
                    return;
                index = m_nextClaim++;
            }
            DataResult<Batch> batch = buildGuarded(builder, index);
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_ready.emplace(index, std::move(batch));
            }
            m_batchReady.notify_all();
        }
    }

    const LiberoCatalog m_catalog;
    const SamplingPlan m_plan;
    const DatasetOptions m_options;
    const DatasetInfo m_info;
    std::unique_ptr<BatchBuilder> m_inlineBuilder;  // num_workers == 0

    mutable std::mutex m_mutex;  // guards everything below
    std::condition_variable m_workWanted;
    std::condition_variable m_batchReady;
    std::map<int64_t, DataResult<Batch>> m_ready;
    const int64_t m_sampleOffset;
    int64_t m_nextClaim = 0;
    int64_t m_nextTake = 0;
    bool m_stopping = false;
    std::string m_failure;
    double m_waitSeconds = 0;
    std::vector<std::thread> m_workers;  // last: joined before the state above goes
};

DataResult<std::unique_ptr<Dataset>> Dataset::open(const std::string& path,
                                                   const DatasetOptions& options,
                                                   const DataPosition& start)
{
    if (options.batch_size < 1)
        return DataError{"dataset " + path + ": batch size " + std::to_string(options.batch_size) + " < 1"};
    if (options.num_workers < 0 || options.prefetch_batches < 1)
        return DataError{"dataset " + path + ": num_workers must be >= 0 and prefetch_batches >= 1"};
    if (options.cond_mask_prob < 0 || options.cond_mask_prob > 1)
        return DataError{"dataset " + path + ": cond_mask_prob must lie in [0, 1]"};
    if (options.augment.cam_ext_mask_prob > 1)
        return DataError{"dataset " + path + ": cam_ext_mask_prob must be at most 1 (negative: cond_mask_prob)"};
    if (options.augment.state_noise_snr && !std::isfinite(*options.augment.state_noise_snr))
        return DataError{"dataset " + path + ": state_noise_snr must be a finite number of dB"};
    if (start.next_batch < 0 || start.sample_offset < 0)
        return DataError{"dataset " + path + ": negative data position"};
    auto files = datasetFiles(path);
    if (!files)
        return DataError{files.error()};
    auto catalog = LiberoCatalog::load(files.value(), options.split, options.holdout_every);
    if (!catalog)
        return DataError{catalog.error()};

    DatasetInfo info;
    info.name = options.dataset_name.empty() ? datasetStem(path) : options.dataset_name;
    info.files = files.value();
    info.episodes = static_cast<int64_t>(catalog->episodes().size());
    info.steps = catalog->steps();
    info.image_height = catalog->imageHeight();
    info.image_width = catalog->imageWidth();
    info.hdf5_threadsafe = Hdf5Lock::libraryThreadsafe();
    auto impl = std::make_unique<Impl>(std::move(catalog.value()), options, start, std::move(info));
    return std::unique_ptr<Dataset>(new Dataset(std::move(impl)));
}

Dataset::Dataset(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Dataset::~Dataset() = default;

DataResult<Batch> Dataset::next() { return m_impl->next(); }
DataPosition Dataset::position() const { return m_impl->position(); }
const DatasetInfo& Dataset::info() const { return m_impl->info(); }
double Dataset::epoch() const { return m_impl->epoch(); }
double Dataset::takeWaitSeconds() { return m_impl->takeWaitSeconds(); }

}  // namespace rdt::data
