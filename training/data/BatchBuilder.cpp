// Sample assembly, following RDT's HDF5VLADataset.parse_hdf5_file (step, chunk, history) and
// VLAConsumerDataset.__getitem__ (condition dropout, background images, slot order).
#include "data/BatchBuilder.h"

#include "data/ImageAugment.h"
#include "data/LiberoMapping.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace rdt::data {
namespace {

// Camera slots in RDT's order: cam_high (exterior), cam_right_wrist, cam_left_wrist. LIBERO
// has one wrist camera; RDT says to make a single wrist the right one.
constexpr int kExteriorSlot = 0;
constexpr int kRightWristSlot = 1;

struct CameraSource {
    int slot;
    LiberoCamera camera;
};
constexpr CameraSource kCameraSources[] = {
    {kExteriorSlot, LiberoCamera::Agentview},
    {kRightWristSlot, LiberoCamera::EyeInHand},
};

// LIBERO's frames are stored upside down (robosuite renders with OpenGL's bottom-left
// origin): row r of a stored frame is row H-1-r of the upright image. Writes CHW.
void writeUpright(const uint8_t* stored, int height, int width, uint8_t* chw)
{
    const size_t plane = static_cast<size_t>(height) * width;
    for (int y = 0; y < height; ++y) {
        const uint8_t* row = stored + static_cast<size_t>(height - 1 - y) * width * kImageChannels;
        for (int x = 0; x < width; ++x) {
            for (int c = 0; c < kImageChannels; ++c)
                chw[c * plane + static_cast<size_t>(y) * width + x] = row[x * kImageChannels + c];
        }
    }
}

}  // namespace

BatchBuilder::BatchBuilder(const LiberoCatalog& catalog, const SamplingPlan& plan, const Augmentations& augment)
    : m_catalog(catalog), m_plan(plan), m_files(catalog.files().size()), m_augment(augment)
{
}

const std::array<float, kStateDim>& BatchBuilder::episodeStateStd(int episodeIndex)
{
    const auto found = m_stateStd.find(episodeIndex);
    if (found != m_stateStd.end())
        return found->second;
    const LiberoEpisode& episode = m_catalog.episodes()[episodeIndex];
    std::array<double, kStateDim> sum{}, sumSquares{};
    std::array<float, kStateDim> state{};
    for (int t = 0; t < episode.steps; ++t) {
        fillUnifiedState(episode.quantities.data() + static_cast<size_t>(t) * kLiberoQuantityCount, state.data());
        for (int d = 0; d < kStateDim; ++d) {
            sum[d] += state[d];
            sumSquares[d] += static_cast<double>(state[d]) * state[d];
        }
    }
    std::array<float, kStateDim> stdev{};
    for (int d = 0; d < kStateDim; ++d) {
        const double mean = sum[d] / episode.steps;
        stdev[d] = static_cast<float>(std::sqrt(std::max(0.0, sumSquares[d] / episode.steps - mean * mean)));
    }
    return m_stateStd.emplace(episodeIndex, stdev).first->second;
}

DataResult<const LiberoFile*> BatchBuilder::file(int fileIndex)
{
    std::optional<LiberoFile>& slot = m_files[fileIndex];
    if (!slot) {
        auto opened = LiberoFile::open(m_catalog.files()[fileIndex]);
        if (!opened)
            return DataError{opened.error()};
        slot.emplace(std::move(opened.value()));
    }
    return &*slot;
}

DataResult<Batch> BatchBuilder::build(int64_t batchIndex)
{
    std::vector<SampleDraw> draws;
    draws.reserve(static_cast<size_t>(m_plan.batchSize()));
    for (int b = 0; b < m_plan.batchSize(); ++b)
        draws.push_back(m_plan.draw(batchIndex, b));
    return buildDraws(draws, batchIndex);
}

DataResult<Batch> BatchBuilder::buildDraws(const std::vector<SampleDraw>& draws, int64_t batchIndex)
{
    const int64_t batchSize = static_cast<int64_t>(draws.size());
    const int64_t height = m_catalog.imageHeight();
    const int64_t width = m_catalog.imageWidth();
    Batch batch;
    batch.index = batchIndex;
    batch.states = torch::empty({batchSize, 1, kStateDim}, torch::kFloat32);
    batch.state_elem_mask = torch::empty({batchSize, 1, kStateDim}, torch::kFloat32);
    batch.actions = torch::empty({batchSize, kActionChunkSize, kStateDim}, torch::kFloat32);
    batch.action_elem_mask = torch::empty({batchSize, 1, kStateDim}, torch::kFloat32);
    batch.images = torch::empty({batchSize, kImageSlots, kImageChannels, height, width}, torch::kUInt8);
    batch.image_mask = torch::empty({batchSize, kImageSlots}, torch::kBool);
    batch.ctrl_freqs = torch::empty({batchSize}, torch::kFloat32);
    batch.instructions.resize(static_cast<size_t>(batchSize));
    batch.origins.resize(static_cast<size_t>(batchSize));
    for (int b = 0; b < batchSize; ++b) {
        auto filled = fillSample(draws[static_cast<size_t>(b)], b, batch);
        if (!filled)
            return DataError{filled.error()};
    }
    return batch;
}

DataResult<void> BatchBuilder::fillSample(const SampleDraw& draw, int b, Batch& batch)
{
    const EpisodeStep at = m_catalog.locate(draw.step_number);
    const LiberoEpisode& episode = m_catalog.episodes()[at.episode];
    const int t = at.step;
    const float* quantities = episode.quantities.data();
    batch.origins[b] = SampleOrigin{episode.file_index, at.episode, t};

    // State at t, or the dataset's mean state when dropped; RDT's state noise (before the
    // dropout, as RDT adds it) has std episode_std / sqrt(10^(snr / 10)).
    AugmentRandom augmentRandom(draw.augment_seed);
    float* state = batch.states.data_ptr<float>() + static_cast<size_t>(b) * kStateDim;
    if (draw.drop_state) {
        std::copy(m_catalog.meanState().begin(), m_catalog.meanState().end(), state);
    } else {
        fillUnifiedState(quantities + static_cast<size_t>(t) * kLiberoQuantityCount, state);
        if (m_augment.state_noise_snr) {
            const double scale = 1.0 / std::sqrt(std::pow(10.0, *m_augment.state_noise_snr / 10.0));
            const std::array<float, kStateDim>& stdev = episodeStateStd(at.episode);
            for (int d = 0; d < kStateDim; ++d)
                state[d] += static_cast<float>(stdev[d] * scale * augmentRandom.normal());
        }
    }

    float* elemMask = batch.state_elem_mask.data_ptr<float>() + static_cast<size_t>(b) * kStateDim;
    if (draw.drop_elem_mask)
        std::fill(elemMask, elemMask + kStateDim, 0.0f);
    else
        std::copy(unifiedElemMask().begin(), unifiedElemMask().end(), elemMask);
    float* actionMask = batch.action_elem_mask.data_ptr<float>() + static_cast<size_t>(b) * kStateDim;
    std::copy(unifiedActionMask().begin(), unifiedActionMask().end(), actionMask);

    // Actions t .. t+63; past the end, the last action repeats.
    float* actions = batch.actions.data_ptr<float>() + static_cast<size_t>(b) * kActionChunkSize * kStateDim;
    for (int k = 0; k < kActionChunkSize; ++k) {
        const int source = std::min(t + k, episode.steps - 1);
        fillUnifiedAction(quantities + static_cast<size_t>(source) * kLiberoQuantityCount,
                          actions + static_cast<size_t>(k) * kStateDim);
    }

    // Images: history frames t-1, t. A frame before the episode's start is invalid (RDT
    // clamps it to frame 0 and marks it so; its consumer then shows the background).
    const int height = m_catalog.imageHeight();
    const int width = m_catalog.imageWidth();
    const size_t frameBytes = static_cast<size_t>(height) * width * kImageChannels;
    uint8_t* images = batch.images.data_ptr<uint8_t>() + static_cast<size_t>(b) * kImageSlots * frameBytes;
    bool* imageMask = batch.image_mask.data_ptr<bool>() + static_cast<size_t>(b) * kImageSlots;
    const int first = std::max(t - (kImgHistorySize - 1), 0);
    const int available = t - first + 1;
    const int missing = kImgHistorySize - available;  // history frames before the start
    for (int slot = 0; slot < kImageSlots; ++slot) {
        imageMask[slot] = false;
        std::memset(images + slot * frameBytes, kBackgroundValue, frameBytes);
    }
    auto handle = file(episode.file_index);
    if (!handle)
        return DataError{handle.error()};
    m_frames.resize(frameBytes * kImgHistorySize);
    for (const CameraSource& source : kCameraSources) {
        bool wanted = false;
        for (int h = missing; h < kImgHistorySize; ++h)
            wanted = wanted || !draw.drop_image[h * kNumCameras + source.slot];
        if (!wanted)
            continue;
        auto read = handle.value()->readFrames(episode.demo, source.camera, first, available,
                                               m_frames.data());
        if (!read)
            return read;
        for (int h = missing; h < kImgHistorySize; ++h) {
            const int slot = h * kNumCameras + source.slot;
            if (draw.drop_image[slot])
                continue;
            writeUpright(m_frames.data() + (h - missing) * frameBytes, height, width,
                         images + slot * frameBytes);
            if (m_augment.image_aug)
                augmentImage(images + slot * frameBytes, height, width, augmentRandom);
            imageMask[slot] = true;
        }
    }

    batch.ctrl_freqs.data_ptr<float>()[b] = draw.drop_ctrl_freq ? 0.0f : kLiberoControlFrequency;
    batch.instructions[b] = draw.drop_language ? std::string() : m_catalog.instruction(episode.file_index);
    return {};
}

}  // namespace rdt::data
