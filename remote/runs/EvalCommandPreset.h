// One eval command the user can run on a checkpoint: the trainer's own open-loop eval or a
// server's closed-loop LIBERO script, as a shell line with {fields}, the defaults of the
// fields only that script knows, the environment it needs and what it leaves behind.
// resources/presets/eval-commands.json holds the built-in ones (its "about" says the format).
#pragma once

#include "EvalCommandTemplate.h"
#include "Result.h"
#include "ShellQuote.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace rdt {

// What an eval command leaves in its output folder, and so how its results are read.
enum class EvalResultsFormat {
    Trainer,        // results.json, events.jsonl, actions/, videos/ (rdt-trainer eval)
    LiberoJson,     // libero_evaluation_results.json: success_rate, avg_steps, task_results
    OpenVlaVideos,  // rollouts/.../<time>--episode=N--success=True--task=<slug>.mp4
    SuccessCsv,     // a CSV with a success rate per task
};

// The names presets and eval records use ("trainer", "libero-json", "openvla-videos",
// "success-csv"); nullopt for any other.
[[nodiscard]] std::optional<EvalResultsFormat> evalResultsFormatNamed(const QString &name);
[[nodiscard]] QString evalResultsFormatName(EvalResultsFormat format);

// What the workbench itself knows about an eval, for the fields every preset may use.
struct EvalCommandContext {
    QString trainer;          // rdt-trainer on the server
    QString runDir;           // the run's folder
    QString checkpoint;       // the checkpoint's folder, absolute
    QString outputDir;        // RUN/eval/checkpoint-N
    int execHorizon = 16;
    QString weights = QStringLiteral("ema");
};

struct EvalCommandPreset {
    QString name;
    QString description;
    QString command;                   // the shell line with {fields}
    EvalCommandValues fields;          // defaults of the fields the workbench does not fill
    EnvironmentList environment;       // e.g. MUJOCO_GL=egl; the run's own environment wins
    EvalResultsFormat results = EvalResultsFormat::Trainer;
    QString resultsFile;               // relative to the output folder (libero-json, success-csv)

    // The fields the workbench fills from an eval's context.
    [[nodiscard]] static EvalCommandValues contextValues(const EvalCommandContext &context);

    // The fields the user may set: those the line uses that the workbench does not fill,
    // in order of first use, then any other with a default.
    [[nodiscard]] QStringList userFields() const;
    // `values` checked against userFields(): a name the preset does not have, or one the
    // workbench fills, is refused with the preset's name and the fields it has.
    [[nodiscard]] Result<void> checkUserValues(const EvalCommandValues &values) const;

    // The line to run for one eval: the output folder made first, then the command with
    // its fields filled from, in order of precedence, the context, the user's values and
    // the preset's defaults. Every error names the preset and the field.
    [[nodiscard]] Result<QByteArray> line(const EvalCommandContext &context,
                                          const EvalCommandValues &userValues = {}) const;
};

} // namespace rdt
