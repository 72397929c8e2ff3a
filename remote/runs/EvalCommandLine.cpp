// Contract 1's `rdt-trainer eval` flags, from the Eval view's choices.
#include "EvalCommandLine.h"

#include "EvalFolder.h"
#include "ShellQuote.h"

namespace rdt {

QStringList EvalCommandLine::forTrainer(const EvalLaunchOptions &options, const QString &trainer)
{
    QStringList argv = {trainer, QStringLiteral("eval"), QStringLiteral("--checkpoint"), QLatin1String(kCheckpoint),
                        QStringLiteral("--weights"), options.weights, QStringLiteral("--exec_horizon"),
                        QString::number(options.execHorizon)};
    if (!options.episodes.trimmed().isEmpty())
        argv << QStringLiteral("--episodes") << options.episodes.trimmed();
    if (!options.device.isEmpty())
        argv << QStringLiteral("--device") << options.device;
    if (options.recordVideo)
        argv << QStringLiteral("--record_video") << QStringLiteral("--video_output_dir") << QLatin1String(kVideoDir);
    argv << QStringLiteral("--output_dir") << QLatin1String(kOutputDir);
    return argv;
}

Result<QByteArray> EvalCommandLine::forPreset(const EvalCommandPreset &preset, const QString &remoteRoot,
                                             const QString &runName, const EvalLaunchOptions &options,
                                             const QString &trainer, const EvalCommandValues &userValues)
{
    EvalCommandContext context;
    context.trainer = trainer;
    context.outputDir = EvalFolder::folder(remoteRoot, runName, options.checkpoint);
    context.runDir = context.outputDir.section(QLatin1Char('/'), 0, -3);
    context.checkpoint = context.runDir + QLatin1Char('/') + options.checkpoint;
    context.execHorizon = options.execHorizon;
    context.weights = options.weights;
    Result<QByteArray> line = preset.line(context, userValues);
    if (!line)
        return line;
    QByteArray exports;
    for (const auto &[name, value] : preset.environment) {
        if (!isValidEnvironmentName(name))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("eval command \"%1\": \"%2\" is not a variable name")
                                                             .arg(preset.name, QString::fromUtf8(name)));
        exports += name + "=${" + name + ":-" + shellQuote(value) + "}; export " + name + "; ";
    }
    return exports + *line;
}

Result<void> EvalCommandLine::check(const QStringList &argv)
{
    if (argv.isEmpty() || argv.first().trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the eval command is empty"));
    for (qsizetype i = 0; i < argv.size(); ++i) {
        const QString &argument = argv.at(i);
        const bool outputFlag = argument == QLatin1String("--output_dir") || argument == QLatin1String("--output-dir");
        if (outputFlag && argv.value(i + 1) != QLatin1String(kOutputDir))
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("%1 must be %2: the eval's files belong in ROOT/runs/RUN/eval/checkpoint-N")
                                 .arg(argument, QLatin1String(kOutputDir)));
    }
    return {};
}

} // namespace rdt
