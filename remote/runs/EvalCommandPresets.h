// The eval commands on offer: the built-in presets (resources/presets/eval-commands.json)
// and the user's own (~/.config/rdt-workbench/eval-commands.json, same format), where a
// name the user reuses replaces the built-in one.
#pragma once

#include "EvalCommandPreset.h"
#include "Result.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace rdt {

class EvalCommandPresets {
public:
    // The built-in presets, then the user's file if it exists. A user file that cannot be
    // parsed is an error naming it and the preset: silently offering the built-ins instead
    // would run a command the user did not write.
    [[nodiscard]] static Result<std::vector<EvalCommandPreset>> load(const QString &userFile = defaultUserFile());

    // One file's presets; `source` names it in errors.
    [[nodiscard]] static Result<std::vector<EvalCommandPreset>> parse(const QByteArray &json, const QString &source);

    // The preset called `name`, or an error listing the names there are.
    [[nodiscard]] static Result<EvalCommandPreset> find(const std::vector<EvalCommandPreset> &presets,
                                                        const QString &name);

    [[nodiscard]] static QString defaultUserFile();
    // The name of the preset that runs `rdt-trainer eval`, the default.
    [[nodiscard]] static QString trainerPresetName();
};

} // namespace rdt
