// The setup wizard's training presets, kept as data in resources/presets/training-presets.json
// (embedded as :/rdt/presets/training-presets.json): each names a few settings to set on
// top of the page's current ones, or starts from the trainer's defaults.
#pragma once

#include "Result.h"
#include "TrainingSettings.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace rdt {

struct TrainingPreset {
    QString name;
    // Start from the trainer's defaults, keeping the run's name, paths, environment and
    // model size; otherwise from the settings the preset is applied to.
    bool fromDefaults = false;
    QJsonObject settings;   // the trainer's flag names (and processes, model_size) -> value

    TrainingSettings apply(const TrainingSettings &current) const;
};

class TrainingPresets {
public:
    static constexpr char kResource[] = ":/rdt/presets/training-presets.json";

    // The presets the workbench ships, read once from kResource. A file that does not
    // parse is a build defect: a warning names it and what is wrong, and the list is empty.
    static const QList<TrainingPreset> &shipped();

    // Reads a presets file; `where` (its name) starts every error, which names the preset
    // and the setting at fault: unknown settings and values of the wrong type are errors.
    [[nodiscard]] static Result<QList<TrainingPreset>> parse(const QByteArray &json,
                                                             const QString &where);

    // The setting names a preset may use.
    static QStringList settingNames();
};

} // namespace rdt
