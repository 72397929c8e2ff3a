// results.json and actions/<episode>.json of the shared eval format: per episode, per task
// and aggregate figures with the checkpoint and the flags used; the actions per step for
// the player's plot. results.json is rewritten (atomically) after every episode, so the
// results so far survive a failure or a kill.
#pragma once

#include "eval/EpisodeMetrics.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace rdt {

struct EvaluatedEpisode {
    int index = 0;          // position in this eval, 0-based
    std::string episode;    // "demo_3"
    std::string file;       // the HDF5 file
    std::string task;       // its instruction
    EpisodeMetrics metrics;
    std::string video;      // relative to the output folder, or "" when not recorded
};

class EvalReport {
public:
    EvalReport(std::string checkpoint, std::string weights, nlohmann::ordered_json flags);

    void add(const EvaluatedEpisode &episode);
    nlohmann::ordered_json toJson() const;
    // Writes path atomically. Throws TrainerError.
    void write(const std::string &path) const;

private:
    std::string m_checkpoint;
    std::string m_weights;
    nlohmann::ordered_json m_flags;
    std::vector<EvaluatedEpisode> m_episodes;
    std::vector<std::string> m_taskOrder;
    std::map<std::string, MetricsPool> m_tasks;
    MetricsPool m_all;
};

// actions/<episode>.json: {"episode","task","fps","exec_horizon","dims","chunk_starts",
// "predicted","demonstrated"}, written atomically. Throws TrainerError.
void writeActionsFile(const std::string &path, const std::string &episode, const std::string &task, int fps,
                      int execHorizon, const std::vector<int> &chunkStarts, const std::vector<LiberoAction> &predicted,
                      const std::vector<LiberoAction> &demonstrated);

} // namespace rdt
