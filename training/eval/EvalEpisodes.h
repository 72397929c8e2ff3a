// Which episodes an eval scores: the run's held-out split (the trainer's own rule, through
// LiberoCatalog with the run's holdout_every), or those --episodes names.
#pragma once

#include "data/LiberoCatalog.h"

#include <string>
#include <vector>

namespace rdt {

struct EvalEpisodes {
    data::LiberoCatalog catalog;
    std::vector<int> selected; // indexes into catalog.episodes(), in order
    bool held_out = true;      // false: --episodes, or too few episodes to hold any out
};

// list: "demo_3,demo_7" or "FILE_STEM/demo_3" entries, comma separated; "" takes the
// held-out split. Throws TrainerError naming the dataset and the entry.
EvalEpisodes selectEvalEpisodes(const std::string &dataset, const std::string &list, int holdoutEvery);

} // namespace rdt
