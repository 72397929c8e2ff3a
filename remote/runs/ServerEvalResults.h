// Results of the servers' own closed-loop LIBERO evals, read from what those scripts really
// write, into the same EvalResults the trainer's eval gives (success in place of action
// errors), so the Eval view and `rdtctl eval` show both kinds alike:
// - eval_sim/eval_rdt_libero.py: libero_evaluation_results.json ({"total_tasks",
//   "successful_tasks", "total_steps", "task_results": [{"task_name", "success", "steps",
//   "reward", "error"?}], "success_rate", "avg_steps"}) and task_NN_<name>_<time>.mp4 videos;
// - OpenVLA's run_libero_eval.py: <time>--episode=N--success=True--task=<slug>.mp4 videos;
// - a CSV with a success rate per task (a column named task/task_name/task_description and
//   one named success_rate/success/sr, rates as 0.8, 80 or 80%).
#pragma once

#include "EvalCommandPreset.h"
#include "EvalResults.h"
#include "Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace rdt {

class ServerEvalResults {
public:
    // `videos` are the .mp4 files of the eval folder, relative to it; those whose names
    // say which task they show become the episodes' videos.
    [[nodiscard]] static Result<EvalResults> fromLiberoJson(const QByteArray &json, const QString &source,
                                                            const QStringList &videos = {});
    // Every video named as OpenVLA names them; when the folder holds several evals' videos,
    // only the newest eval's (by the time that starts each name).
    [[nodiscard]] static Result<EvalResults> fromOpenVlaVideos(const QStringList &videos, const QString &source);
    [[nodiscard]] static Result<EvalResults> fromSuccessCsv(const QByteArray &csv, const QString &source);

    // The results of an eval folder on this machine (a downloaded eval), read as `format`
    // says; `resultsFile` is relative to the folder.
    [[nodiscard]] static Result<EvalResults> load(EvalResultsFormat format, const QString &folder,
                                                  const QString &resultsFile = {});
};

} // namespace rdt
