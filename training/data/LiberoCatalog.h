// Every episode of a dataset split with its low-dimensional quantities cached in memory
// (24 floats a step: LIBERO-90's 675k steps take ~65 MB), the instructions, the image size
// and the mean state. Built once by Dataset::open; read-only and shared by the workers.
#pragma once

#include "data/DataResult.h"
#include "data/DatasetOptions.h"
#include "data/Layout.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace rdt::data {

struct LiberoEpisode {
    int file_index = 0;
    std::string demo;             // "demo_N"
    int steps = 0;
    std::vector<float> quantities;// steps x kLiberoQuantityCount (see LiberoMapping.h)
};

struct EpisodeStep {
    int episode = 0;
    int step = 0;
};

class LiberoCatalog {
public:
    // Reads and validates every demo (low-dim arrays and both cameras' shapes).
    static DataResult<LiberoCatalog> load(const std::vector<std::string>& files, Split split,
                                          int holdoutEvery);

    const std::vector<std::string>& files() const { return m_files; }
    const std::vector<LiberoEpisode>& episodes() const { return m_episodes; }
    const std::string& instruction(int fileIndex) const { return m_instructions[fileIndex]; }
    int64_t steps() const { return m_offsets.empty() ? 0 : m_offsets.back(); }
    int imageHeight() const { return m_imageHeight; }
    int imageWidth() const { return m_imageWidth; }
    // The unified state's mean over every step of the dataset (all splits), as RDT's
    // dataset_stat.json state_mean: what a condition-masked sample shows as its state.
    const std::array<float, kStateDim>& meanState() const { return m_meanState; }

    // Maps k in [0, steps()) to its episode and timestep, so that sampling k uniformly
    // picks episodes in proportion to their length, as RDT's HDF5VLADataset does.
    EpisodeStep locate(int64_t k) const;

private:
    std::vector<std::string> m_files;
    std::vector<std::string> m_instructions;
    std::vector<LiberoEpisode> m_episodes;
    std::vector<int64_t> m_offsets;  // m_offsets[i+1] - m_offsets[i] = episode i's steps
    int m_imageHeight = 0;
    int m_imageWidth = 0;
    std::array<float, kStateDim> m_meanState{};
};

}  // namespace rdt::data
