// The eval's JSON outputs.
#include "eval/EvalReport.h"

#include "eval/AtomicFile.h"

#include <algorithm>

namespace rdt {
namespace {

nlohmann::ordered_json summary(const MetricsPool &pool)
{
    const EpisodeMetrics m = pool.mean();
    return {{"episodes", pool.episodes()}, {"mse", m.mse}, {"l2err", m.l2err},
            {"gripper_agreement", m.gripper_agreement}};
}

nlohmann::ordered_json rows(const std::vector<LiberoAction> &actions)
{
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const LiberoAction &a : actions)
        out.push_back(std::vector<float>(a.begin(), a.end()));
    return out;
}

std::string dump(const nlohmann::ordered_json &json, int indent)
{
    // Non-finite numbers have no JSON form; null keeps the file readable.
    return json.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace

EvalReport::EvalReport(std::string checkpoint, std::string weights, nlohmann::ordered_json flags)
    : m_checkpoint(std::move(checkpoint)), m_weights(std::move(weights)), m_flags(std::move(flags))
{
}

void EvalReport::add(const EvaluatedEpisode &episode)
{
    m_episodes.push_back(episode);
    if (!m_tasks.count(episode.task))
        m_taskOrder.push_back(episode.task);
    m_tasks[episode.task].add(episode.metrics);
    m_all.add(episode.metrics);
}

nlohmann::ordered_json EvalReport::toJson() const
{
    nlohmann::ordered_json episodes = nlohmann::ordered_json::array();
    for (const EvaluatedEpisode &e : m_episodes) {
        nlohmann::ordered_json row = {
            {"index", e.index}, {"episode", e.episode}, {"file", e.file}, {"task", e.task},
            {"steps", e.metrics.steps}, {"mse", e.metrics.mse}, {"l2err", e.metrics.l2err},
            {"mse_per_dim", std::vector<double>(e.metrics.mse_per_dim.begin(), e.metrics.mse_per_dim.end())},
            {"gripper_agreement", e.metrics.gripper_agreement}};
        if (!e.video.empty())
            row["video"] = e.video;
        episodes.push_back(row);
    }
    nlohmann::ordered_json tasks = nlohmann::ordered_json::object();
    for (const std::string &task : m_taskOrder)
        tasks[task] = summary(m_tasks.at(task));
    return {{"checkpoint", m_checkpoint}, {"weights", m_weights}, {"flags", m_flags}, {"episodes", episodes},
            {"tasks", tasks}, {"aggregate", summary(m_all)}};
}

void EvalReport::write(const std::string &path) const
{
    writeFileAtomically(path, dump(toJson(), 2));
}

void writeActionsFile(const std::string &path, const std::string &episode, const std::string &task, int fps,
                      int execHorizon, const std::vector<int> &chunkStarts, const std::vector<LiberoAction> &predicted,
                      const std::vector<LiberoAction> &demonstrated)
{
    const auto &names = liberoActionDimNames();
    const nlohmann::ordered_json json = {
        {"episode", episode}, {"task", task}, {"fps", fps}, {"exec_horizon", execHorizon},
        {"dims", std::vector<std::string>(names.begin(), names.end())}, {"chunk_starts", chunkStarts},
        {"predicted", rows(predicted)}, {"demonstrated", rows(demonstrated)}};
    writeFileAtomically(path, dump(json, -1));
}

} // namespace rdt
