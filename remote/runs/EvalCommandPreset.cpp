// Fills a preset's line for one eval; the precedence of values is the one place that
// decides which of the workbench's, the user's and the preset's values a command gets.
#include "EvalCommandPreset.h"

namespace rdt {

std::optional<EvalResultsFormat> evalResultsFormatNamed(const QString &name)
{
    for (EvalResultsFormat format : {EvalResultsFormat::Trainer, EvalResultsFormat::LiberoJson,
                                     EvalResultsFormat::OpenVlaVideos, EvalResultsFormat::SuccessCsv}) {
        if (evalResultsFormatName(format) == name)
            return format;
    }
    return std::nullopt;
}

QString evalResultsFormatName(EvalResultsFormat format)
{
    switch (format) {
    case EvalResultsFormat::Trainer: return QStringLiteral("trainer");
    case EvalResultsFormat::LiberoJson: return QStringLiteral("libero-json");
    case EvalResultsFormat::OpenVlaVideos: return QStringLiteral("openvla-videos");
    case EvalResultsFormat::SuccessCsv: return QStringLiteral("success-csv");
    }
    return {};
}

EvalCommandValues EvalCommandPreset::contextValues(const EvalCommandContext &context)
{
    const QString checkpointName = context.checkpoint.section(QLatin1Char('/'), -1, -1, QString::SectionSkipEmpty);
    return {
        {QStringLiteral("trainer"), context.trainer},
        {QStringLiteral("run_dir"), context.runDir},
        {QStringLiteral("checkpoint"), context.checkpoint},
        {QStringLiteral("checkpoint_name"), checkpointName},
        {QStringLiteral("output_dir"), context.outputDir},
        {QStringLiteral("video_dir"), context.outputDir.isEmpty() ? QString() : context.outputDir + QStringLiteral("/videos")},
        {QStringLiteral("exec_horizon"), QString::number(context.execHorizon)},
        {QStringLiteral("weights"), context.weights},
    };
}

QStringList EvalCommandPreset::userFields() const
{
    const EvalCommandValues filled = contextValues({});
    QStringList names;
    for (const QString &field : EvalCommandTemplate::fieldsIn(command)) {
        if (!filled.count(field) && !names.contains(field))
            names.append(field);
    }
    for (const auto &[field, value] : fields) {
        if (!filled.count(field) && !names.contains(field))
            names.append(field);
    }
    return names;
}

Result<void> EvalCommandPreset::checkUserValues(const EvalCommandValues &values) const
{
    const QStringList own = userFields();
    const EvalCommandValues filled = contextValues({});
    for (const auto &[field, value] : values) {
        if (own.contains(field))
            continue;
        const QString theirs = own.isEmpty() ? QStringLiteral("it has no fields to set")
                                             : QStringLiteral("its fields are %1").arg(own.join(QStringLiteral(", ")));
        if (filled.count(field))
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("eval command \"%1\": {%2} is filled by the workbench, not set by hand; %3")
                                 .arg(name, field, theirs));
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("eval command \"%1\" has no field \"%2\"; %3").arg(name, field, theirs));
    }
    return {};
}

Result<QByteArray> EvalCommandPreset::line(const EvalCommandContext &context, const EvalCommandValues &userValues) const
{
    EvalCommandValues values = fields;
    for (const auto &[name, value] : userValues)
        values[name] = value;
    for (const auto &[name, value] : contextValues(context))
        values[name] = value;
    Result<QByteArray> command = EvalCommandTemplate::fill(this->command, values, name);
    if (!command)
        return command;
    if (context.outputDir.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("eval command \"%1\": the eval has no output folder").arg(name));
    // The folder first: the scripts write into it (or cd there) and fail obscurely without it.
    // The command runs in a subshell so its own `cd` and `exit` stay inside it.
    return QByteArrayLiteral("mkdir -p ") + shellQuote(context.outputDir.toUtf8()) + QByteArrayLiteral(" && ( ")
        + *command + QByteArrayLiteral(" )");
}

} // namespace rdt
