// The results of an eval folder on this machine (a downloaded eval), whichever command made
// it: read as its eval-command.json says (EvalCommandRecord); without one, as what the folder
// holds says: results.json is the trainer's, libero_evaluation_results.json the seed's
// eval_rdt_libero.py, videos named as OpenVLA names them OpenVLA's.
#pragma once

#include "EvalCommandRecord.h"
#include "EvalResults.h"
#include "Result.h"

#include <QString>

#include <optional>

namespace rdt {

struct LocalEvalSource {
    EvalResultsFormat format = EvalResultsFormat::Trainer;
    QString resultsFile;        // relative to the folder; empty for openvla-videos
    QString preset;             // the command's preset, when the folder's record names it
};

class LocalEvalResults {
public:
    static constexpr const char *kLiberoResultsFile = "libero_evaluation_results.json";

    // How the folder's results are to be read; nullopt while it holds none yet.
    [[nodiscard]] static Result<std::optional<LocalEvalSource>> sourceOf(const QString &folder);

    // The folder's results (checkpoint and, for a preset, its name filled in from what is
    // known when the results themselves do not say); nullopt while it holds none yet.
    [[nodiscard]] static Result<std::optional<EvalResults>> load(const QString &folder, const QString &checkpoint = {});
};

} // namespace rdt
