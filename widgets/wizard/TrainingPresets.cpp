// One table maps each setting name to its TrainingSettings field and the JSON type it takes;
// parse() checks against it, apply() writes through it.
#include "TrainingPresets.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <functional>

namespace rdt {

namespace {

enum class Kind { Count, Number, Text, Flag };

struct Setting {
    const char *name;
    Kind kind;
    std::function<void(TrainingSettings &, const QJsonValue &)> set;
};

const QList<Setting> &settingTable()
{
    static const QList<Setting> table{
        {"processes", Kind::Count, [](TrainingSettings &s, const QJsonValue &v) { s.processes = v.toInt(); }},
        {"train_batch_size", Kind::Count, [](TrainingSettings &s, const QJsonValue &v) { s.trainBatchSize = qint64(v.toDouble()); }},
        {"learning_rate", Kind::Number, [](TrainingSettings &s, const QJsonValue &v) { s.learningRate = v.toDouble(); }},
        {"max_train_steps", Kind::Count, [](TrainingSettings &s, const QJsonValue &v) { s.maxTrainSteps = qint64(v.toDouble()); }},
        {"checkpointing_period", Kind::Count, [](TrainingSettings &s, const QJsonValue &v) { s.checkpointingPeriod = qint64(v.toDouble()); }},
        {"checkpoints_total_limit", Kind::Count, [](TrainingSettings &s, const QJsonValue &v) { s.checkpointsTotalLimit = qint64(v.toDouble()); }},
        {"gradient_accumulation_steps", Kind::Count, [](TrainingSettings &s, const QJsonValue &v) { s.gradientAccumulationSteps = qint64(v.toDouble()); }},
        {"gradient_checkpointing", Kind::Flag, [](TrainingSettings &s, const QJsonValue &v) { s.gradientCheckpointing = v.toBool(); }},
        {"mixed_precision", Kind::Text, [](TrainingSettings &s, const QJsonValue &v) { s.mixedPrecision = v.toString(); }},
        {"lr_scheduler", Kind::Text, [](TrainingSettings &s, const QJsonValue &v) { s.lrScheduler = v.toString(); }},
        {"lr_warmup_steps", Kind::Count, [](TrainingSettings &s, const QJsonValue &v) { s.lrWarmupSteps = qint64(v.toDouble()); }},
        {"max_grad_norm", Kind::Number, [](TrainingSettings &s, const QJsonValue &v) { s.maxGradNorm = v.toDouble(); }},
        {"sample_period", Kind::Count, [](TrainingSettings &s, const QJsonValue &v) { s.samplePeriod = qint64(v.toDouble()); }},
        {"dataloader_num_workers", Kind::Count, [](TrainingSettings &s, const QJsonValue &v) { s.dataloaderNumWorkers = qint64(v.toDouble()); }},
        {"seed", Kind::Count, [](TrainingSettings &s, const QJsonValue &v) { s.seed = qint64(v.toDouble()); }},
        {"device", Kind::Text, [](TrainingSettings &s, const QJsonValue &v) { s.device = v.toString(); }},
        {"vision_encoder", Kind::Text, [](TrainingSettings &s, const QJsonValue &v) { s.visionEncoder = v.toString(); }},
        {"lang", Kind::Text, [](TrainingSettings &s, const QJsonValue &v) { s.lang = v.toString(); }},
        {"model_size", Kind::Text, [](TrainingSettings &s, const QJsonValue &v) { s.modelSize = v.toString(); }},
    };
    return table;
}

const Setting *findSetting(const QString &name)
{
    for (const Setting &setting : settingTable()) {
        if (name == QLatin1String(setting.name))
            return &setting;
    }
    return nullptr;
}

// Empty when `value` suits `kind`, else what it should be.
QString typeProblem(Kind kind, const QJsonValue &value)
{
    switch (kind) {
    case Kind::Count: {
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number < 0 || number != std::floor(number))
            return QStringLiteral("a whole number, 0 or more");
        return {};
    }
    case Kind::Number:
        return value.isDouble() ? QString() : QStringLiteral("a number");
    case Kind::Text:
        return value.isString() ? QString() : QStringLiteral("a string");
    case Kind::Flag:
        return value.isBool() ? QString() : QStringLiteral("true or false");
    }
    return {};
}

} // namespace

TrainingSettings TrainingPreset::apply(const TrainingSettings &current) const
{
    TrainingSettings result = current;
    if (fromDefaults) {
        result = TrainingSettings();
        result.runName = current.runName;
        result.config = current.config;
        result.dataset = current.dataset;
        result.pretrained = current.pretrained;
        result.environment = current.environment;
        result.modelSize = current.modelSize;
    }
    for (auto it = settings.constBegin(); it != settings.constEnd(); ++it) {
        if (const Setting *setting = findSetting(it.key()))
            setting->set(result, it.value());
    }
    return result;
}

QStringList TrainingPresets::settingNames()
{
    QStringList names;
    for (const Setting &setting : settingTable())
        names.append(QLatin1String(setting.name));
    return names;
}

Result<QList<TrainingPreset>> TrainingPresets::parse(const QByteArray &json, const QString &where)
{
    auto error = [&where](const QString &what) {
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(where, what));
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return error(QStringLiteral("not JSON at byte %1: %2")
                         .arg(parseError.offset)
                         .arg(parseError.errorString()));
    const QJsonValue list = document.object().value(QStringLiteral("presets"));
    if (!list.isArray())
        return error(QStringLiteral("no \"presets\" list"));
    QList<TrainingPreset> presets;
    for (const QJsonValue &entry : list.toArray()) {
        const QJsonObject object = entry.toObject();
        TrainingPreset preset;
        preset.name = object.value(QStringLiteral("name")).toString();
        if (preset.name.isEmpty())
            return error(QStringLiteral("preset %1 has no name").arg(presets.size() + 1));
        const QJsonValue fromDefaults = object.value(QStringLiteral("from_defaults"));
        if (!fromDefaults.isUndefined() && !fromDefaults.isBool())
            return error(QStringLiteral("preset '%1': from_defaults must be true or false").arg(preset.name));
        preset.fromDefaults = fromDefaults.toBool(false);
        preset.settings = object.value(QStringLiteral("settings")).toObject();
        for (auto it = preset.settings.constBegin(); it != preset.settings.constEnd(); ++it) {
            const Setting *setting = findSetting(it.key());
            if (!setting)
                return error(QStringLiteral("preset '%1': unknown setting '%2' (known: %3)")
                                 .arg(preset.name, it.key(), settingNames().join(QStringLiteral(", "))));
            const QString problem = typeProblem(setting->kind, it.value());
            if (!problem.isEmpty())
                return error(QStringLiteral("preset '%1': %2 must be %3")
                                 .arg(preset.name, it.key(), problem));
        }
        presets.append(preset);
    }
    return presets;
}

const QList<TrainingPreset> &TrainingPresets::shipped()
{
    static const QList<TrainingPreset> presets = [] {
        const QString path = QString::fromLatin1(kResource);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            qWarning("training presets: cannot read %s: %s", kResource, qPrintable(file.errorString()));
            return QList<TrainingPreset>();
        }
        Result<QList<TrainingPreset>> parsed = parse(file.readAll(), path);
        if (!parsed) {
            qWarning("training presets: %s", qPrintable(parsed.error().message));
            return QList<TrainingPreset>();
        }
        return parsed.value();
    }();
    return presets;
}

} // namespace rdt
