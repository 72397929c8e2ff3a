// Each command parses its arguments, connects, and drives the remote/runs eval classes
// through the event loop; the eval itself runs detached on the server, so an interrupted
// `rdtctl eval` can be picked up again with --attach.
#include "EvalCommands.h"

#include "CliConnection.h"
#include "CommandArguments.h"
#include "EvalCommandLine.h"
#include "EvalCommandPresets.h"
#include "EvalCommandRecord.h"
#include "EvalDownloader.h"
#include "EvalFolder.h"
#include "EvalFollower.h"
#include "EvalLauncher.h"
#include "EvalList.h"
#include "RunStopper.h"

#include <QEventLoop>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cstdio>

namespace rdt {
namespace {

int failure(const Error &error)
{
    std::fprintf(stderr, "rdtctl: %s\n", qPrintable(error.message.simplified()));
    return error.code == ErrorCode::ConnectionLost ? 255 : 1;
}

template <typename Object, typename Signal>
void waitFor(Object *object, Signal signal)
{
    QEventLoop loop;
    QObject::connect(object, signal, &loop, &QEventLoop::quit);
    loop.exec();
}

std::unique_ptr<SshClient> connectOrReport(const CliOptions &options, const QString &host)
{
    Result<std::unique_ptr<SshClient>> client = connectFromCli(options, host);
    if (!client) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(client.error().message));
        return nullptr;
    }
    return std::move(client).value();
}

// "12000" or "checkpoint-12000".
QString checkpointName(const QString &text)
{
    return text.startsWith(QLatin1String("checkpoint-")) ? text : QStringLiteral("checkpoint-") + text;
}

QString humanBytes(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
}

// Follows the eval to its end; one stderr line per episode.
int follow(SshClient &client, const QString &root, const QString &run, const QString &checkpoint)
{
    EvalFollower follower;
    int status = 1;
    QEventLoop loop;
    QObject::connect(&follower, &EvalFollower::started, &loop, [&](int episodes) {
        std::fprintf(stderr, "eval of %s: %d episodes\n", qPrintable(checkpoint), episodes);
    });
    QObject::connect(&follower, &EvalFollower::episodeFinished, &loop, [&](const EvalEvent &e) {
        std::fprintf(stderr, "episode %d/%d %s: %d steps, mse %.5g, l2err %.5g, gripper %.3f%s\n", e.index + 1,
                     follower.episodesTotal(), qPrintable(e.episode), e.steps, e.mse, e.l2err, e.gripperAgreement,
                     e.video.isEmpty() ? "" : qPrintable(QStringLiteral(", ") + e.video));
    });
    QObject::connect(&follower, &EvalFollower::done, &loop, [&](int episodes) {
        std::printf("eval of %s done: %d episodes, in %s\n", qPrintable(checkpoint), episodes,
                    qPrintable(EvalFolder::folder(root, run, checkpoint)));
        status = 0;
        loop.quit();
    });
    QObject::connect(&follower, &EvalFollower::failed, &loop, [&](const QString &message) {
        std::fprintf(stderr, "rdtctl: eval of run %s %s failed: %s\n", qPrintable(run), qPrintable(checkpoint),
                     qPrintable(message));
        status = 1;
        loop.quit();
    });
    QObject::connect(&follower, &EvalFollower::interrupted, &loop, [&](const Error &error) {
        std::fprintf(stderr, "rdtctl: %s (the eval goes on: rdtctl eval ... --attach follows it again)\n",
                     qPrintable(error.message.simplified()));
        status = 255;
        loop.quit();
    });
    follower.start(&client, root, run, checkpoint);
    loop.exec();
    return status;
}

// --field NAME=VALUE arguments, each checked against the preset's own fields.
Result<EvalCommandValues> fieldValues(const EvalCommandPreset &preset, const QStringList &arguments)
{
    EvalCommandValues values;
    for (const QString &argument : arguments) {
        const qsizetype equals = argument.indexOf(QLatin1Char('='));
        if (equals <= 0)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("--field takes NAME=VALUE, not \"%1\"").arg(argument));
        values[argument.left(equals)] = argument.mid(equals + 1);
    }
    if (Result<void> known = preset.checkUserValues(values); !known)
        return known.error();
    return values;
}

int stopEval(SshClient &client, const QString &root, const QString &run, const QString &checkpoint)
{
    RunStopper stopper(&client);
    stopper.stopEval(root, run, checkpoint);
    waitFor(&stopper, &RunStopper::finished);
    if (stopper.error().code != ErrorCode::None)
        return failure(stopper.error());
    if (!stopper.outcome().wasRunning)
        std::printf("no eval of %s is running\n", qPrintable(checkpoint));
    else
        std::printf("stopped the eval of %s (pid %lld)\n", qPrintable(checkpoint), qlonglong(stopper.outcome().pid));
    return 0;
}

} // namespace

int runEvalCommand(const CliOptions &options)
{
    Result<CommandArguments> parsed = parseCommandArguments(QStringLiteral("eval"), options.arguments,
                                     {QStringLiteral("--root"), QStringLiteral("--run"), QStringLiteral("--checkpoint"),
                                      QStringLiteral("--episodes"), QStringLiteral("--exec-horizon"), QStringLiteral("--weights"),
                                      QStringLiteral("--device"), QStringLiteral("--trainer"), QStringLiteral("--timeout"),
                                      QStringLiteral("--command"), QStringLiteral("--field")},
                                     {QStringLiteral("--no-video"), QStringLiteral("--no-tmux"), QStringLiteral("--detach"),
                                      QStringLiteral("--attach"), QStringLiteral("--stop")},
                                     true);
    if (!parsed)
        return usageError(parsed.error().message);
    const QString root = parsed->values.value(QStringLiteral("--root"));
    const QString run = parsed->values.value(QStringLiteral("--run"));
    const QString checkpoint = checkpointName(parsed->values.value(QStringLiteral("--checkpoint")));
    if (parsed->positionals.size() != 1 || root.isEmpty() || run.isEmpty() || !parsed->values.contains(QStringLiteral("--checkpoint")))
        return usageError(QStringLiteral("rdtctl eval: HOST, --root DIR, --run NAME and --checkpoint N are required"));
    if (Result<void> names = EvalFolder::check(run, checkpoint); !names)
        return usageError(QStringLiteral("rdtctl eval: %1").arg(names.error().message));
    EvalLaunchRequest request;
    request.remoteRoot = root;
    request.runName = run;
    request.options.checkpoint = checkpoint;
    request.options.episodes = parsed->values.value(QStringLiteral("--episodes"));
    request.options.weights = parsed->values.value(QStringLiteral("--weights"), request.options.weights);
    request.options.device = parsed->values.value(QStringLiteral("--device"));
    request.options.recordVideo = !parsed->flags.contains(QStringLiteral("--no-video"));
    request.trainer = parsed->values.value(QStringLiteral("--trainer"), request.trainer);
    request.commandLine = parsed->passThrough;
    request.useTmux = !parsed->flags.contains(QStringLiteral("--no-tmux"));
    bool ok = true;
    if (parsed->values.contains(QStringLiteral("--exec-horizon")))
        request.options.execHorizon = parsed->values.value(QStringLiteral("--exec-horizon")).toInt(&ok);
    if (!ok || request.options.execHorizon < 1)
        return usageError(QStringLiteral("rdtctl eval: --exec-horizon needs a positive number of steps"));
    if (parsed->values.contains(QStringLiteral("--timeout")))
        request.startTimeoutSeconds = parsed->values.value(QStringLiteral("--timeout")).toInt(&ok);
    if (!ok || request.startTimeoutSeconds <= 0)
        return usageError(QStringLiteral("rdtctl eval: --timeout needs a positive number of seconds"));
    if (request.options.weights != QLatin1String("ema") && request.options.weights != QLatin1String("raw"))
        return usageError(QStringLiteral("rdtctl eval: --weights is ema or raw"));

    const QStringList fieldArguments = parsed->allValues.value(QStringLiteral("--field"));
    if (!fieldArguments.isEmpty() && !parsed->values.contains(QStringLiteral("--command")))
        return usageError(QStringLiteral("rdtctl eval: --field sets a field of an eval command preset; name the preset "
                                         "with --command"));
    if (parsed->values.contains(QStringLiteral("--command"))) {
        if (!request.commandLine.isEmpty())
            return usageError(QStringLiteral("rdtctl eval: --command PRESET or -- COMMAND, not both"));
        Result<std::vector<EvalCommandPreset>> presets = EvalCommandPresets::load();
        if (!presets)
            return failure(presets.error());
        Result<EvalCommandPreset> preset = EvalCommandPresets::find(*presets, parsed->values.value(QStringLiteral("--command")));
        if (!preset)
            return usageError(QStringLiteral("rdtctl eval: %1").arg(preset.error().message));
        Result<EvalCommandValues> values = fieldValues(*preset, fieldArguments);
        if (!values)
            return usageError(QStringLiteral("rdtctl eval: %1").arg(values.error().message));
        request.options.command = preset->name;
        request.options.fieldValues = *values;
        Result<QByteArray> line = EvalCommandLine::forPreset(*preset, root, run, request.options, request.trainer, *values);
        if (!line)
            return usageError(QStringLiteral("rdtctl eval: %1").arg(line.error().message));
        request.shellLine = *line;
        request.record = EvalCommandRecord::forPreset(*preset, *values).toJson();
        request.waitForStartEvent = preset->results == EvalResultsFormat::Trainer;
    }
    std::unique_ptr<SshClient> client = connectOrReport(options, parsed->positionals.first());
    if (!client)
        return 255;
    if (parsed->flags.contains(QStringLiteral("--stop")))
        return stopEval(*client, root, run, checkpoint);
    if (!parsed->flags.contains(QStringLiteral("--attach"))) {
        EvalLauncher launcher(client.get());
        launcher.start(request);
        waitFor(&launcher, &EvalLauncher::finished);
        if (launcher.error().code != ErrorCode::None)
            return failure(launcher.error());
        std::fprintf(stderr, "started the eval of %s: pid %lld, %s\n", qPrintable(checkpoint),
                     qlonglong(launcher.outcome().pid),
                     launcher.outcome().method == QLatin1String("tmux") ? "in tmux" : "detached (setsid nohup)");
        if (parsed->flags.contains(QStringLiteral("--detach"))) {
            std::printf("%s\n", qPrintable(launcher.outcome().folder));
            return 0;
        }
    }
    return follow(*client, root, run, checkpoint);
}

int runEvalsCommand(const CliOptions &options)
{
    Result<CommandArguments> parsed = parseCommandArguments(QStringLiteral("evals"), options.arguments,
                                     {QStringLiteral("--root"), QStringLiteral("--run")}, {QStringLiteral("--json")}, false);
    if (!parsed)
        return usageError(parsed.error().message);
    const QString root = parsed->values.value(QStringLiteral("--root"));
    const QString run = parsed->values.value(QStringLiteral("--run"));
    if (parsed->positionals.size() != 1 || root.isEmpty() || run.isEmpty())
        return usageError(QStringLiteral("rdtctl evals: HOST, --root DIR and --run NAME are required"));
    std::unique_ptr<SshClient> client = connectOrReport(options, parsed->positionals.first());
    if (!client)
        return 255;
    EvalList list(client.get());
    list.refresh(root, run);
    waitFor(&list, &EvalList::finished);
    if (list.error().code != ErrorCode::None)
        return failure(list.error());
    if (parsed->flags.contains(QStringLiteral("--json"))) {
        QJsonArray evals;
        for (const EvalInfo &info : list.evals())
            evals.append(info.toJson());
        std::fputs(QJsonDocument(QJsonObject{{QStringLiteral("run"), run}, {QStringLiteral("evals"), evals}})
                       .toJson(QJsonDocument::Indented).constData(), stdout);
        return 0;
    }
    std::printf("%-20s %-8s %9s %7s  %s\n", "CHECKPOINT", "STATE", "EPISODES", "VIDEOS", "DETAIL");
    for (const EvalInfo &info : list.evals()) {
        const QString episodes = QStringLiteral("%1/%2").arg(info.episodesDone).arg(
            info.episodesTotal < 0 ? QStringLiteral("?") : QString::number(info.episodesTotal));
        const QString detail = info.state == EvalState::Running ? QStringLiteral("pid %1").arg(info.pid) : info.detail;
        std::printf("%-20s %-8s %9s %7d  %s\n", qPrintable(info.checkpoint), qPrintable(EvalInfo::stateName(info.state)),
                    qPrintable(episodes), info.videos, qPrintable(detail.simplified()));
    }
    return 0;
}

int runVideosCommand(const CliOptions &options)
{
    Result<CommandArguments> parsed = parseCommandArguments(QStringLiteral("videos"), options.arguments,
                                     {QStringLiteral("--root"), QStringLiteral("--run"), QStringLiteral("--checkpoint")}, {}, false);
    if (!parsed)
        return usageError(parsed.error().message);
    const QString root = parsed->values.value(QStringLiteral("--root"));
    const QString run = parsed->values.value(QStringLiteral("--run"));
    if (parsed->positionals.size() != 2 || root.isEmpty() || run.isEmpty())
        return usageError(QStringLiteral("rdtctl videos: HOST, --root DIR, --run NAME and LOCAL are required"));
    const QString local = parsed->positionals.at(1);
    QStringList checkpoints;
    if (parsed->values.contains(QStringLiteral("--checkpoint"))) {
        checkpoints.append(checkpointName(parsed->values.value(QStringLiteral("--checkpoint"))));
        if (Result<void> names = EvalFolder::check(run, checkpoints.first()); !names)
            return usageError(QStringLiteral("rdtctl videos: %1").arg(names.error().message));
    }
    std::unique_ptr<SshClient> client = connectOrReport(options, parsed->positionals.first());
    if (!client)
        return 255;
    if (checkpoints.isEmpty()) {
        EvalList list(client.get());
        list.refresh(root, run);
        waitFor(&list, &EvalList::finished);
        if (list.error().code != ErrorCode::None)
            return failure(list.error());
        for (const EvalInfo &info : list.evals())
            checkpoints.append(info.checkpoint);
        if (checkpoints.isEmpty()) {
            std::fprintf(stderr, "rdtctl videos: run %s has no evals\n", qPrintable(run));
            return 1;
        }
    }
    for (const QString &checkpoint : checkpoints) {
        EvalDownloader downloader(client.get());
        QObject::connect(&downloader, &EvalDownloader::fileArrived, &downloader, [](const QString &path) {
            std::fprintf(stderr, "%s\n", qPrintable(path));
        });
        downloader.start(root, run, checkpoint, local + QLatin1Char('/') + checkpoint);
        waitFor(&downloader, &EvalDownloader::finished);
        if (downloader.error().code != ErrorCode::None)
            return failure(downloader.error());
        std::printf("%s: %d files fetched (%s), %d unchanged, in %s\n", qPrintable(checkpoint), downloader.filesMoved(),
                    qPrintable(humanBytes(downloader.bytesMoved())), downloader.plan().unchangedCount(),
                    qPrintable(downloader.localFolder()));
    }
    return 0;
}

} // namespace rdt
