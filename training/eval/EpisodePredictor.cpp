// Batches of chunk starts -> conditioning -> DPM-Solver++ -> 7-d actions.
#include "eval/EpisodePredictor.h"

#include "model/TrainerError.h"
#include "train/ActionSampler.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>

namespace rdt {

EpisodePredictor::EpisodePredictor(EvalPolicy &policy, const data::LiberoCatalog &catalog,
                                   const torch::Device &device, uint64_t seed, int64_t batchSize)
    : m_policy(policy), m_catalog(catalog), m_device(device), m_batchSize(std::max<int64_t>(1, batchSize)),
      m_plan(seed, 1, std::max<int64_t>(1, catalog.steps()), 0.0), m_builder(catalog, m_plan),
      m_solver(policy.config), m_generator(at::detail::createCPUGenerator(seed))
{
    int64_t offset = 0;
    for (const data::LiberoEpisode &episode : catalog.episodes()) {
        m_offsets.push_back(offset);
        offset += episode.steps;
    }
}

EpisodePrediction EpisodePredictor::predict(int episode, int execHorizon)
{
    const data::LiberoEpisode &e = m_catalog.episodes()[episode];
    EpisodePrediction out;
    for (int start = 0; start < e.steps; start += execHorizon)
        out.chunk_starts.push_back(start);
    out.predicted.resize(static_cast<size_t>(e.steps));
    torch::NoGradGuard noGrad;
    for (size_t first = 0; first < out.chunk_starts.size(); first += static_cast<size_t>(m_batchSize)) {
        const size_t count = std::min(out.chunk_starts.size() - first, static_cast<size_t>(m_batchSize));
        std::vector<data::SampleDraw> draws(count);
        for (size_t i = 0; i < count; ++i)
            draws[i].step_number = m_offsets[episode] + out.chunk_starts[first + i];
        // Timed from the batch's assembly on, as the trainer's sample step takes its batch.
        const auto t0 = std::chrono::steady_clock::now();
        auto batch = m_builder.buildDraws(draws, static_cast<int64_t>(first));
        if (!batch)
            throw TrainerError(batch.error());
        const RunnerInputs in = m_policy.conditioning->encode(batch.value(), m_device);
        // Drawn on the CPU, then moved: the same noise on every device, as the trainer does.
        const torch::Tensor noise =
            at::randn(in.action_gt.sizes(), m_generator, torch::kFloat32).to(m_device);
        // CPU-GPU sync point: the chunk comes back to map it to LIBERO's actions.
        const torch::Tensor chunks = sampleActions(m_policy.runner, m_solver, in, noise).to(torch::kCPU).contiguous();
        out.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        out.samples += static_cast<int64_t>(count);
        const float *data = chunks.data_ptr<float>();
        const int64_t horizon = chunks.size(1), dim = chunks.size(2);
        for (size_t i = 0; i < count; ++i) {
            const int start = out.chunk_starts[first + i];
            const int executed = std::min<int>({execHorizon, e.steps - start, static_cast<int>(horizon)});
            for (int k = 0; k < executed; ++k)
                out.predicted[static_cast<size_t>(start + k)] =
                    liberoActionFromUnified(data + (static_cast<int64_t>(i) * horizon + k) * dim);
        }
    }
    return out;
}

} // namespace rdt
