// Contract 1's `rdt-trainer eval` flags, from the Eval view's choices.
#include "EvalCommandLine.h"

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
