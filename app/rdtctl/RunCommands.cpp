// Each command parses its arguments, connects, drives one remote/ operation through the
// event loop and prints its outcome; the operations themselves live in remote/.
#include "RunCommands.h"

#include "CliConnection.h"
#include "CommandArguments.h"
#include "MetricsFollower.h"
#include "RemoteFileFollower.h"
#include "RunFolderLayout.h"
#include "RunLauncher.h"
#include "RunList.h"
#include "RunStopper.h"
#include "ScriptAnswer.h"

#include <QEventLoop>
#include <QHash>
#include <QSet>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <optional>
#include <cstdio>
#include <unistd.h>

namespace rdt {
namespace {

// The tail script's header (ScriptAnswer): a login banner is not part of the log.
const QByteArray kTailHeader = QByteArrayLiteral("@rdt-tail 1");

void writeAll(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = write(fd, data.constData() + done, size_t(data.size() - done));
        if (n <= 0)
            return;
        done += n;
    }
}

// Runs the event loop until `object` emits `signal`.
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

// HOST --root DIR and exactly `names` more positionals (the run name).
Result<CommandArguments> parseRunTarget(const QString &command, const CliOptions &options, const QStringList &valued,
                                        const QStringList &flags, int names)
{
    Result<CommandArguments> parsed =
        parseCommandArguments(command, options.arguments, QStringList{QStringLiteral("--root")} + valued, flags, false);
    if (!parsed)
        return parsed;
    if (parsed->positionals.size() != 1 + names || !parsed->values.contains(QStringLiteral("--root")))
        return makeError(ErrorCode::InvalidArgument, names ? QStringLiteral("rdtctl %1: HOST, --root DIR and NAME are required").arg(command)
                                                           : QStringLiteral("rdtctl %1: HOST and --root DIR are required").arg(command));
    if (names) {
        if (Result<void> name = RunFolderLayout::checkRunName(parsed->positionals.at(1)); !name)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("rdtctl %1: %2").arg(command, name.error().message));
    }
    return parsed;
}

QString formatLoss(double loss)
{
    return std::isfinite(loss) ? QString::number(loss, 'g', 5) : QStringLiteral("-");
}

int launch(const CliOptions &options, bool resume)
{
    const QString command = resume ? QStringLiteral("resume") : QStringLiteral("run");
    Result<CommandArguments> parsed =
        resume ? parseRunTarget(command, options, {QStringLiteral("--trainer"), QStringLiteral("--timeout")},
                                {QStringLiteral("--no-tmux")}, 1)
               : parseCommandArguments(command, options.arguments,
                                {QStringLiteral("--root"), QStringLiteral("--name"), QStringLiteral("--trainer"),
                                 QStringLiteral("--timeout")}, {QStringLiteral("--no-tmux")}, true);
    if (!parsed)
        return usageError(parsed.error().message);
    LaunchRequest request;
    request.remoteRoot = parsed->values.value(QStringLiteral("--root"));
    request.runName = resume ? parsed->positionals.value(1) : parsed->values.value(QStringLiteral("--name"));
    request.trainer = parsed->values.value(QStringLiteral("--trainer"), request.trainer);
    request.trainerArguments = parsed->passThrough;
    request.useTmux = !parsed->flags.contains(QStringLiteral("--no-tmux"));
    if (parsed->values.contains(QStringLiteral("--timeout")))
        request.startTimeoutSeconds = parsed->values.value(QStringLiteral("--timeout")).toInt();
    if (!resume && (parsed->positionals.size() != 1 || request.remoteRoot.isEmpty() || request.runName.isEmpty()))
        return usageError(QStringLiteral("rdtctl run: HOST, --root DIR and --name NAME are required"));
    if (request.startTimeoutSeconds <= 0)
        return usageError(QStringLiteral("rdtctl %1: --timeout needs a positive number of seconds").arg(command));
    std::unique_ptr<SshClient> client = connectOrReport(options, parsed->positionals.first());
    if (!client)
        return 255;
    RunLauncher launcher(client.get());
    resume ? launcher.resume(request) : launcher.start(request);
    waitFor(&launcher, &RunLauncher::finished);
    if (launcher.error().code != ErrorCode::None) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(launcher.error().message));
        return launcher.error().code == ErrorCode::ConnectionLost ? 255 : 1;
    }
    const LaunchOutcome &outcome = launcher.outcome();
    std::printf("%s run %s: trainer pid %lld %s, in %s\n", resume ? "resumed" : "started", qPrintable(request.runName),
                qlonglong(outcome.pid),
                outcome.method == QLatin1String("tmux") ? qPrintable(QStringLiteral("in tmux session rdt-%1").arg(request.runName))
                                                        : "detached (setsid nohup)",
                qPrintable(outcome.folder));
    return 0;
}

// --follow: streams from `offset` on; complete lines only when `wholeLines`.
int follow(SshClient &client, const QString &path, qint64 offset, bool wholeLines)
{
    RemoteFileFollower follower;
    QByteArray partial;
    int status = 0;
    QEventLoop loop;
    QObject::connect(&follower, &RemoteFileFollower::dataArrived, &loop, [&](qint64, const QByteArray &bytes) {
        if (!wholeLines)
            return writeAll(STDOUT_FILENO, bytes);
        partial += bytes;
        const qsizetype end = partial.lastIndexOf('\n');
        if (end >= 0) {
            writeAll(STDOUT_FILENO, partial.left(end + 1));
            partial.remove(0, end + 1);
        }
    });
    QObject::connect(&follower, &RemoteFileFollower::fileReset, &loop, [&](const QString &reason) {
        partial.clear();
        std::fprintf(stderr, "rdtctl: %s was %s; following it from its start\n", qPrintable(path), qPrintable(reason));
    });
    QObject::connect(&follower, &RemoteFileFollower::interrupted, &loop, [&](const Error &error) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(error.message));
        status = error.code == ErrorCode::ConnectionLost ? 255 : 1;
        loop.quit();
    });
    follower.start(&client, path, offset);
    loop.exec();
    return status;
}

} // namespace

int runRunCommand(const CliOptions &options)
{
    return launch(options, false);
}

int runResumeCommand(const CliOptions &options)
{
    return launch(options, true);
}

int runRunsCommand(const CliOptions &options)
{
    Result<CommandArguments> parsed = parseRunTarget(QStringLiteral("runs"), options, {}, {QStringLiteral("--json")}, 0);
    if (!parsed)
        return usageError(parsed.error().message);
    const QString root = parsed->values.value(QStringLiteral("--root"));
    std::unique_ptr<SshClient> client = connectOrReport(options, parsed->positionals.first());
    if (!client)
        return 255;
    RunList list(client.get());
    list.refresh(root);
    waitFor(&list, &RunList::finished);
    if (list.error().code != ErrorCode::None) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(list.error().message));
        return list.error().code == ErrorCode::ConnectionLost ? 255 : 1;
    }
    if (parsed->flags.contains(QStringLiteral("--json"))) {
        QJsonArray runs;
        for (const RunInfo &run : list.runs())
            runs.append(run.toJson());
        QJsonObject document{{QStringLiteral("root"), root}, {QStringLiteral("runs"), runs}};
        std::fputs(QJsonDocument(document).toJson(QJsonDocument::Indented).constData(), stdout);
        return 0;
    }
    std::printf("%-24s %-9s %15s %10s  %-19s %s\n", "NAME", "STATE", "STEP", "LOSS", "STARTED", "DETAIL");
    for (const RunInfo &run : list.runs()) {
        const QString step = QStringLiteral("%1/%2").arg(run.step < 0 ? QStringLiteral("-") : QString::number(run.step),
                                                         run.maxSteps < 0 ? QStringLiteral("?") : QString::number(run.maxSteps));
        const QString started = run.startTime.isValid() ? run.startTime.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                                        : QStringLiteral("-");
        QString detail = run.detail;
        if (run.state == RunState::Running)
            detail = QStringLiteral("pid %1").arg(run.pid);
        std::printf("%-24s %-9s %15s %10s  %-19s %s\n", qPrintable(run.name), qPrintable(RunInfo::stateName(run.state)),
                    qPrintable(step), qPrintable(formatLoss(run.lastLoss)), qPrintable(started),
                    qPrintable(detail.simplified()));
    }
    return 0;
}

int runTailCommand(const CliOptions &options)
{
    Result<CommandArguments> parsed = parseRunTarget(QStringLiteral("tail"), options, {QStringLiteral("-n")},
                                                     {QStringLiteral("--follow"), QStringLiteral("-f"), QStringLiteral("--metrics")}, 1);
    if (!parsed)
        return usageError(parsed.error().message);
    bool ok = true;
    const int lines = parsed->values.value(QStringLiteral("-n"), QStringLiteral("20")).toInt(&ok);
    if (!ok || lines < 0)
        return usageError(QStringLiteral("rdtctl tail: -n needs a number of lines"));
    const bool metrics = parsed->flags.contains(QStringLiteral("--metrics"));
    const bool following = parsed->flags.contains(QStringLiteral("--follow")) || parsed->flags.contains(QStringLiteral("-f"));
    const QString metricsPath = MetricsFollower::metricsPath(parsed->values.value(QStringLiteral("--root")), parsed->positionals.at(1));
    const QString path = metrics ? metricsPath : metricsPath.chopped(int(qstrlen("metrics.jsonl"))) + QStringLiteral("train.log");
    std::unique_ptr<SshClient> client = connectOrReport(options, parsed->positionals.first());
    if (!client)
        return 255;
    // The last N lines of the file's first SIZE bytes (looked at once, so a follow goes on
    // exactly after them), read from at most its last MiB rather than the whole file.
    CommandSpec spec;
    spec.argv = {"sh", "-c",
                 "f=$1; case $f in \"~/\"*) f=$HOME/${f#??} ;; esac\n"
                 "[ -f \"$f\" ] || { echo \"no such file: $1\" >&2; exit 3; }\n"
                 "s=$(stat -L -c %s -- \"$f\"); o=$((s > 1048576 ? s - 1048576 : 0))\n"
                 "end() { dd if=\"$f\" bs=65536 skip=$o count=$((s - o)) iflag=skip_bytes,count_bytes 2>/dev/null; }\n"
                 "t=$(end | tail -n \"$2\" | wc -c)\n"
                 + ScriptAnswer::printHeader(kTailHeader) + "echo $((s - t)) $s; end | tail -c \"$t\"",
                 "rdt-tail", path.toUtf8(), QByteArray::number(lines)};
    QByteArray out;
    QByteArray err;
    const CliRunResult result = runToCompletion(*client, spec, [&](const QByteArray &d) { out += d; },
                                                [&](const QByteArray &d) { err += d; });
    if (result.error.code != ErrorCode::None) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(result.error.message));
        return 255;
    }
    if (result.exitStatus != 0) {
        std::fprintf(stderr, "rdtctl tail: run %s: %s\n", qPrintable(parsed->positionals.at(1)),
                     qPrintable(QString::fromUtf8(err).trimmed()));
        return 1;
    }
    // What a login shell printed comes before the header line; the answer follows it.
    const std::optional<QByteArray> answer = ScriptAnswer::after(out, kTailHeader);
    if (!answer) {
        std::fprintf(stderr, "rdtctl tail: run %s: the server's answer has no header (its shell did not run the "
                             "command?): %s\n",
                     qPrintable(parsed->positionals.at(1)), qPrintable(QString::fromUtf8(out.left(200))));
        return 1;
    }
    out = *answer;
    const qsizetype newline = out.indexOf('\n');
    const QList<QByteArray> header = out.left(newline).split(' ');
    qint64 start = header.value(0).toLongLong();
    QByteArray text = out.mid(newline + 1);
    // A torn last line is not shown (nor counted as read) when lines matter.
    if ((metrics || following) && !text.isEmpty() && !text.endsWith('\n')) {
        const qsizetype end = text.lastIndexOf('\n') + 1;
        text.truncate(end);
    }
    writeAll(STDOUT_FILENO, text);
    if (!following)
        return 0;
    return follow(*client, path, start + text.size(), metrics);
}

int runStopCommand(const CliOptions &options)
{
    Result<CommandArguments> parsed = parseRunTarget(QStringLiteral("stop"), options, {QStringLiteral("--grace")}, {}, 1);
    if (!parsed)
        return usageError(parsed.error().message);
    bool ok = true;
    const int grace = parsed->values.value(QStringLiteral("--grace"), QString::number(RunStopper::kDefaultGraceSeconds)).toInt(&ok);
    if (!ok || grace < 0)
        return usageError(QStringLiteral("rdtctl stop: --grace needs a number of seconds"));
    std::unique_ptr<SshClient> client = connectOrReport(options, parsed->positionals.first());
    if (!client)
        return 255;
    const QString name = parsed->positionals.at(1);
    RunStopper stopper(client.get());
    stopper.stop(parsed->values.value(QStringLiteral("--root")), name, grace);
    waitFor(&stopper, &RunStopper::finished);
    if (stopper.error().code != ErrorCode::None) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(stopper.error().message));
        return stopper.error().code == ErrorCode::ConnectionLost ? 255 : 1;
    }
    const StopOutcome &outcome = stopper.outcome();
    if (!outcome.wasRunning)
        std::printf("run %s is not running\n", qPrintable(name));
    else
        std::printf("stopped run %s (pid %lld, %s%s)\n", qPrintable(name), qlonglong(outcome.pid),
                    outcome.terminated ? "SIGINT, then SIGTERM after the grace period" : "SIGINT",
                    outcome.exitStatus.isEmpty() ? "" : qPrintable(QStringLiteral(", exit status %1").arg(outcome.exitStatus)));
    return 0;
}

} // namespace rdt
