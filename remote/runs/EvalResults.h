// An eval's results.json (RUN/eval/checkpoint-N/results.json, written by `rdt-trainer eval`):
// per-episode errors and video names, per-task and aggregate figures. The Eval view's
// results table and `rdtctl eval` read it. Qt Core only.
#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QString>

#include <limits>
#include <map>
#include <optional>
#include <vector>

namespace rdt {

struct EvalFigures {
    int episodes = 0;
    double mse = std::numeric_limits<double>::quiet_NaN();
    double l2err = std::numeric_limits<double>::quiet_NaN();
    double gripperAgreement = std::numeric_limits<double>::quiet_NaN();
    // Closed-loop evals (the server's own LIBERO scripts) report success, not errors
    // against a demonstration: the share of episodes that reached the goal, NaN if unknown.
    double successRate = std::numeric_limits<double>::quiet_NaN();
};

struct EvalEpisodeResult {
    int index = 0;
    QString episode;            // "demo_3"
    QString file;               // the dataset file it came from
    QString task;
    int steps = 0;
    double mse = std::numeric_limits<double>::quiet_NaN();
    double l2err = std::numeric_limits<double>::quiet_NaN();
    double gripperAgreement = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> msePerDim;
    QString video;              // relative to the eval folder ("videos/episode_000_....mp4"); empty: not recorded
    std::optional<bool> success;  // closed-loop evals only: did the episode reach the goal
    QString error;              // what the eval script reported for an episode that failed to run

    // actions/<episode>.json, relative to the eval folder.
    QString actionsFile() const { return QStringLiteral("actions/%1.json").arg(episode); }
};

struct EvalResults {
    QString checkpoint;         // "checkpoint-N"
    QString weights;            // "ema" or "raw"
    QJsonObject flags;          // the eval's command-line flags, as written
    QString command;            // the eval command preset that made it; empty: rdt-trainer eval
    std::vector<EvalEpisodeResult> episodes;
    std::map<QString, EvalFigures> tasks;
    EvalFigures aggregate;

    static Result<EvalResults> fromJson(const QByteArray &json, const QString &source);
    static Result<EvalResults> load(const QString &path);
};

} // namespace rdt
