// Reads eval command presets; each refusal names the file, the preset and the key.
#include "EvalCommandPresets.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <algorithm>
#include <optional>

namespace rdt {

namespace {

Error presetError(const QString &source, const QString &why)
{
    return makeError(ErrorCode::ConfigError, QStringLiteral("eval commands %1: %2").arg(source, why));
}

Result<EvalCommandPreset> presetFrom(const QJsonObject &object, const QString &where)
{
    EvalCommandPreset preset;
    preset.name = object.value(QStringLiteral("name")).toString().trimmed();
    if (preset.name.isEmpty())
        return makeError(ErrorCode::ConfigError, QStringLiteral("%1 has no \"name\"").arg(where));
    const QString named = QStringLiteral("%1 (\"%2\")").arg(where, preset.name);
    preset.description = object.value(QStringLiteral("description")).toString();
    preset.command = object.value(QStringLiteral("command")).toString().trimmed();
    if (preset.command.isEmpty())
        return makeError(ErrorCode::ConfigError, QStringLiteral("%1 has no \"command\"").arg(named));
    const QJsonObject fields = object.value(QStringLiteral("fields")).toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (!it.value().isString() && !it.value().isDouble())
            return makeError(ErrorCode::ConfigError,
                             QStringLiteral("%1: field \"%2\" is neither text nor a number").arg(named, it.key()));
        preset.fields[it.key()] = it.value().isString() ? it.value().toString()
                                                        : QString::number(it.value().toDouble(), 'g', 12);
    }
    const QJsonObject environment = object.value(QStringLiteral("environment")).toObject();
    for (auto it = environment.begin(); it != environment.end(); ++it) {
        const QByteArray name = it.key().toUtf8();
        if (!isValidEnvironmentName(name))
            return makeError(ErrorCode::ConfigError,
                             QStringLiteral("%1: \"%2\" is not a valid environment variable name").arg(named, it.key()));
        preset.environment.append({name, it.value().toString().toUtf8()});
    }
    const QString results = object.value(QStringLiteral("results")).toString(QStringLiteral("trainer"));
    const std::optional<EvalResultsFormat> format = evalResultsFormatNamed(results);
    if (!format)
        return makeError(ErrorCode::ConfigError,
                         QStringLiteral("%1: \"results\" is \"%2\"; it takes trainer, libero-json, openvla-videos or "
                                        "success-csv")
                             .arg(named, results));
    preset.results = *format;
    preset.resultsFile = object.value(QStringLiteral("results_file")).toString();
    if ((preset.results == EvalResultsFormat::LiberoJson || preset.results == EvalResultsFormat::SuccessCsv)
        && preset.resultsFile.isEmpty())
        return makeError(ErrorCode::ConfigError,
                         QStringLiteral("%1: \"results\": \"%2\" needs \"results_file\", the file the command leaves "
                                        "in {output_dir}")
                             .arg(named, results));
    // A line that cannot be filled is refused now, not when the user presses Launch.
    const Result<QByteArray> probe = EvalCommandTemplate::fill(preset.command, {}, preset.name);
    if (!probe && !probe.error().message.contains(QLatin1String("has no value")))
        return makeError(ErrorCode::ConfigError, QStringLiteral("%1: %2").arg(where, probe.error().message));
    return preset;
}

} // namespace

Result<std::vector<EvalCommandPreset>> EvalCommandPresets::parse(const QByteArray &json, const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return presetError(source, QStringLiteral("not JSON at byte %1: %2")
                                       .arg(parseError.offset)
                                       .arg(parseError.errorString()));
    const QJsonValue list = document.object().value(QStringLiteral("presets"));
    if (!list.isArray())
        return presetError(source, QStringLiteral("\"presets\" is missing or not a list"));
    std::vector<EvalCommandPreset> presets;
    const QJsonArray array = list.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        Result<EvalCommandPreset> preset = presetFrom(array.at(i).toObject(), QStringLiteral("presets[%1]").arg(i));
        if (!preset)
            return presetError(source, preset.error().message);
        presets.push_back(std::move(preset).value());
    }
    return presets;
}

Result<std::vector<EvalCommandPreset>> EvalCommandPresets::load(const QString &userFile)
{
    QFile builtin(QStringLiteral(":/rdt/presets/eval-commands.json"));
    if (!builtin.open(QIODevice::ReadOnly))
        return presetError(builtin.fileName(), QStringLiteral("not built into this program"));
    Result<std::vector<EvalCommandPreset>> presets = parse(builtin.readAll(), QStringLiteral("(built in)"));
    if (!presets || userFile.isEmpty() || !QFile::exists(userFile))
        return presets;
    QFile file(userFile);
    if (!file.open(QIODevice::ReadOnly))
        return presetError(userFile, file.errorString());
    Result<std::vector<EvalCommandPreset>> own = parse(file.readAll(), userFile);
    if (!own)
        return own;
    std::vector<EvalCommandPreset> merged = std::move(presets).value();
    for (EvalCommandPreset &preset : own.value()) {
        auto same = std::find_if(merged.begin(), merged.end(),
                                 [&](const EvalCommandPreset &other) { return other.name == preset.name; });
        if (same != merged.end())
            *same = std::move(preset);
        else
            merged.push_back(std::move(preset));
    }
    return merged;
}

Result<EvalCommandPreset> EvalCommandPresets::find(const std::vector<EvalCommandPreset> &presets, const QString &name)
{
    QStringList names;
    for (const EvalCommandPreset &preset : presets) {
        if (preset.name == name)
            return preset;
        names.append(QStringLiteral("\"%1\"").arg(preset.name));
    }
    return makeError(ErrorCode::InvalidArgument,
                     QStringLiteral("no eval command \"%1\"; there are %2").arg(name, names.join(u", ")));
}

QString EvalCommandPresets::defaultUserFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/rdt-workbench/eval-commands.json");
}

QString EvalCommandPresets::trainerPresetName()
{
    return QStringLiteral("rdt-trainer eval");
}

} // namespace rdt
