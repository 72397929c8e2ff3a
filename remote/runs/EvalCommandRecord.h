// What the launcher leaves in an eval's folder about the command that made it
// (eval-command.json: the preset's name, the kind of results it writes, its results file
// and the field values it ran with), so a downloaded eval is read the way its command
// wrote it. Unlike .rdt/, this file is downloaded with the results.
#pragma once

#include "EvalCommandPreset.h"
#include "Result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace rdt {

struct EvalCommandRecord {
    static constexpr const char *kFileName = "eval-command.json";

    QString preset;                                   // the preset's name
    EvalResultsFormat results = EvalResultsFormat::Trainer;
    QString resultsFile;                              // relative to the eval folder
    EvalCommandValues fields;                         // the user's values it ran with

    static EvalCommandRecord forPreset(const EvalCommandPreset &preset, const EvalCommandValues &userValues);
    QByteArray toJson() const;
    [[nodiscard]] static Result<EvalCommandRecord> fromJson(const QByteArray &json, const QString &source);
    // The folder's record; nullopt when it has none (an eval the trainer's own command made,
    // or one launched before records were written).
    [[nodiscard]] static Result<std::optional<EvalCommandRecord>> read(const QString &folder);
};

} // namespace rdt
