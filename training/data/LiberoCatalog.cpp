// Loading and validating the episode catalog, and mapping sample numbers to steps.
#include "data/LiberoCatalog.h"

#include "data/LiberoMapping.h"
#include "data/LiberoScan.h"

#include <algorithm>

namespace rdt::data {
namespace {

bool inSplit(int episode, Split split, int holdoutEvery)
{
    if (split == Split::All || holdoutEvery <= 0)
        return split != Split::Holdout;
    const bool heldOut = episode % holdoutEvery == holdoutEvery - 1;
    return split == Split::Holdout ? heldOut : !heldOut;
}

}  // namespace

DataResult<LiberoCatalog> LiberoCatalog::load(const std::vector<std::string>& files, Split split,
                                              int holdoutEvery)
{
    LiberoCatalog catalog;
    catalog.m_files = files;
    catalog.m_instructions.resize(files.size());
    catalog.m_offsets.push_back(0);
    std::array<double, kStateDim> stateSum{};
    int64_t allSteps = 0;
    int episodeNumber = 0;

    auto scanned = scanLibero(files, [&](const ScannedDemo& demo) -> DataResult<void> {
        catalog.m_instructions[demo.file_index] = *demo.instruction;
        for (LiberoCamera camera : {LiberoCamera::Agentview, LiberoCamera::EyeInHand}) {
            auto shape = demo.file->imageShape(demo.arrays.name, camera);
            if (!shape)
                return DataError{shape.error()};
            const std::string where = files[demo.file_index] + ": data/" + demo.arrays.name +
                                      "/" + cameraDatasetName(camera);
            if (shape->steps != demo.arrays.steps)
                return DataError{where + " has " + std::to_string(shape->steps) +
                                 " frames, the demo's actions " +
                                 std::to_string(demo.arrays.steps)};
            if (catalog.m_imageHeight == 0) {
                catalog.m_imageHeight = shape->height;
                catalog.m_imageWidth = shape->width;
            } else if (shape->height != catalog.m_imageHeight ||
                       shape->width != catalog.m_imageWidth) {
                return DataError{where + " has " + std::to_string(shape->height) + "x" +
                                 std::to_string(shape->width) + " frames, the dataset's first " +
                                 std::to_string(catalog.m_imageHeight) + "x" +
                                 std::to_string(catalog.m_imageWidth)};
            }
        }

        std::vector<float> quantities = liberoQuantities(demo.arrays);
        float unified[kStateDim];
        for (int t = 0; t < demo.arrays.steps; ++t) {
            fillUnifiedState(&quantities[static_cast<size_t>(t) * kLiberoQuantityCount], unified);
            for (int i = 0; i < kStateDim; ++i)
                stateSum[i] += unified[i];
        }
        allSteps += demo.arrays.steps;

        if (inSplit(episodeNumber++, split, holdoutEvery)) {
            LiberoEpisode episode;
            episode.file_index = demo.file_index;
            episode.demo = demo.arrays.name;
            episode.steps = demo.arrays.steps;
            episode.quantities = std::move(quantities);
            catalog.m_offsets.push_back(catalog.m_offsets.back() + episode.steps);
            catalog.m_episodes.push_back(std::move(episode));
        }
        return {};
    });
    if (!scanned)
        return DataError{scanned.error()};
    if (catalog.m_episodes.empty())
        return DataError{files.front() + ": the split holds no episodes (holdout_every " +
                         std::to_string(holdoutEvery) + " over " + std::to_string(episodeNumber) +
                         " demos)"};
    for (int i = 0; i < kStateDim; ++i)
        catalog.m_meanState[i] = static_cast<float>(stateSum[i] / static_cast<double>(allSteps));
    return catalog;
}

EpisodeStep LiberoCatalog::locate(int64_t k) const
{
    // The last offset not greater than k starts k's episode.
    const auto upper = std::upper_bound(m_offsets.begin(), m_offsets.end(), k);
    const int episode = static_cast<int>(upper - m_offsets.begin()) - 1;
    return EpisodeStep{episode, static_cast<int>(k - m_offsets[episode])};
}

}  // namespace rdt::data
