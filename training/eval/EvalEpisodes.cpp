// Held-out split or a named list of episodes.
#include "eval/EvalEpisodes.h"

#include "data/LiberoScan.h"
#include "model/TrainerError.h"

#include <filesystem>
#include <sstream>

namespace rdt {
namespace {

// LiberoCatalog's words when holdout_every leaves no episode for the held-out split.
constexpr const char *kEmptySplit = "the split holds no episodes";

data::LiberoCatalog loadCatalog(const std::vector<std::string> &files, data::Split split, int holdoutEvery)
{
    auto catalog = data::LiberoCatalog::load(files, split, holdoutEvery);
    if (!catalog)
        throw TrainerError(catalog.error());
    return std::move(catalog).value();
}

bool names(const data::LiberoCatalog &catalog, const data::LiberoEpisode &episode, const std::string &entry)
{
    if (entry == episode.demo)
        return true;
    const std::filesystem::path file(catalog.files()[episode.file_index]);
    return entry == file.stem().string() + "/" + episode.demo || entry == file.filename().string() + "/" + episode.demo;
}

} // namespace

EvalEpisodes selectEvalEpisodes(const std::string &dataset, const std::string &list, int holdoutEvery)
{
    auto files = data::datasetFiles(dataset);
    if (!files)
        throw TrainerError(files.error());
    if (!list.empty()) {
        EvalEpisodes out{loadCatalog(files.value(), data::Split::All, 0), {}, false};
        std::stringstream entries(list);
        for (std::string entry; std::getline(entries, entry, ',');) {
            if (entry.empty())
                continue;
            bool found = false;
            const auto &episodes = out.catalog.episodes();
            for (int i = 0; i < static_cast<int>(episodes.size()); ++i) {
                if (names(out.catalog, episodes[i], entry)) {
                    out.selected.push_back(i);
                    found = true;
                }
            }
            if (!found)
                throw TrainerError("--episodes: " + dataset + " has no episode '" + entry +
                                   "' (name demo_N, or FILE_STEM/demo_N for one file of a folder)");
        }
        if (out.selected.empty())
            throw TrainerError("--episodes '" + list + "' names no episode");
        return out;
    }
    auto holdout = data::LiberoCatalog::load(files.value(), data::Split::Holdout, holdoutEvery);
    EvalEpisodes out{holdout ? std::move(holdout).value() : data::LiberoCatalog{}, {}, true};
    if (!holdout) {
        if (holdout.error().find(kEmptySplit) == std::string::npos)
            throw TrainerError(holdout.error());
        // Too few episodes to hold any out: the trainer then trains (and samples) on all
        // of them, and so the eval scores all of them.
        out.catalog = loadCatalog(files.value(), data::Split::All, 0);
        out.held_out = false;
    }
    for (int i = 0; i < static_cast<int>(out.catalog.episodes().size()); ++i)
        out.selected.push_back(i);
    return out;
}

} // namespace rdt
