// Builds batch k of the sampling sequence: the state at t, the 64-step action chunk, the
// image history of both LIBERO cameras (flipped upright) plus RDT's background for the
// missing third camera, the instruction and the control frequency. One per worker thread:
// it owns that worker's HDF5 handles.
#pragma once

#include "data/Batch.h"
#include "data/DataResult.h"
#include "data/DatasetOptions.h"
#include "data/LiberoCatalog.h"
#include "data/LiberoFile.h"
#include "data/SamplingPlan.h"

#include <array>
#include <map>
#include <optional>
#include <vector>

namespace rdt::data {

// RDT fills an absent or dropped image with the vision processor's mean colour,
// int(mean * 255); SigLIP so400m's processor has image_mean 0.5 on every channel.
constexpr uint8_t kBackgroundValue = 127;

class BatchBuilder {
public:
    // Borrows catalog and plan, which must outlive the builder.
    BatchBuilder(const LiberoCatalog& catalog, const SamplingPlan& plan, const Augmentations& augment = {});

    DataResult<Batch> build(int64_t batchIndex);
    // A batch of the given draws (one sample each, in order), assembled exactly as build()
    // does: eval asks for chosen steps of chosen episodes with no condition dropout.
    DataResult<Batch> buildDraws(const std::vector<SampleDraw>& draws, int64_t batchIndex);

private:
    DataResult<void> fillSample(const SampleDraw& draw, int b, Batch& batch);
    DataResult<const LiberoFile*> file(int fileIndex);
    // RDT's state_std: the standard deviation of each unified state slot over the episode.
    const std::array<float, kStateDim>& episodeStateStd(int episodeIndex);

    const LiberoCatalog& m_catalog;
    const SamplingPlan& m_plan;
    std::vector<std::optional<LiberoFile>> m_files;  // opened on first use
    std::vector<uint8_t> m_frames;                   // kImgHistorySize stored frames
    Augmentations m_augment;
    std::map<int, std::array<float, kStateDim>> m_stateStd;  // by episode, computed on first use
};

}  // namespace rdt::data
