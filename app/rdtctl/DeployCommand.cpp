// The deploy command: parse, connect, run a TrainerDeployer through the event loop with
// its progress on stderr (a line redrawn in place on a terminal, one line per stage
// otherwise), and Ctrl-C cancelling the remote build rather than leaving it running.
#include "DeployCommand.h"

#include "CliConnection.h"
#include "TrainerDeployer.h"

#include <QEventLoop>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace rdt {
namespace {

int usageError(const QString &message)
{
    std::fprintf(stderr, "rdtctl deploy: %s\n%s", qPrintable(message), qPrintable(cliUsage()));
    return 2;
}

struct DeployArguments {
    QString host;
    DeployRequest request;
};

Result<DeployArguments> parseDeployArguments(const QStringList &arguments)
{
    DeployArguments parsed;
    QStringList positionals;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        const bool valued = argument == QLatin1String("--root") || argument == QLatin1String("--libtorch")
                            || argument == QLatin1String("--cmake-arg") || argument == QLatin1String("--env");
        if (valued && i + 1 >= arguments.size())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 needs a value").arg(argument));
        if (argument == QLatin1String("--root")) {
            parsed.request.remoteRoot = arguments.at(++i);
        } else if (argument == QLatin1String("--libtorch")) {
            parsed.request.libtorchFolder = arguments.at(++i);
        } else if (argument == QLatin1String("--cmake-arg")) {
            parsed.request.extraCmakeArguments.append(arguments.at(++i));
        } else if (argument == QLatin1String("--env")) {
            const QString assignment = arguments.at(++i);
            const qsizetype equals = assignment.indexOf(QLatin1Char('='));
            const QByteArray name = assignment.left(equals).toUtf8();
            if (equals <= 0 || !isValidEnvironmentName(name))
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("--env needs NAME=VALUE, not \"%1\"").arg(assignment));
            parsed.request.environment.append({name, assignment.mid(equals + 1).toUtf8()});
        } else if (argument == QLatin1String("--force")) {
            parsed.request.force = true;
        } else if (argument.startsWith(QLatin1Char('-'))) {
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown option %1").arg(argument));
        } else {
            positionals.append(argument);
        }
    }
    if (positionals.size() != 1 || parsed.request.remoteRoot.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("HOST and --root DIR are required"));
    parsed.host = positionals.first();
    return parsed;
}

// SIGINT and SIGTERM reach the event loop through a socket pair (the only thing a signal
// handler may safely do is write to it).
int g_signalSocket[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    (void)!write(g_signalSocket[0], &byte, 1);
}

QString progressLine(const DeployProgress &progress)
{
    QString line = DeployProgress::stageName(progress.stage);
    if (progress.total > 0)
        line += progress.stage == DeployProgress::Stage::Building && progress.total == 100
            ? QStringLiteral(" %1%").arg(progress.done)
            : QStringLiteral(" %1/%2").arg(progress.done).arg(progress.total);
    if (!progress.detail.isEmpty())
        line += QStringLiteral(": ") + progress.detail;
    return line;
}

} // namespace

int runDeployCommand(const CliOptions &options)
{
    Result<DeployArguments> parsed = parseDeployArguments(options.arguments);
    if (!parsed)
        return usageError(parsed.error().message);
    Result<std::unique_ptr<SshClient>> client = connectFromCli(options, parsed->host);
    if (!client) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(client.error().message));
        return 255;
    }
    TrainerDeployer deployer(client.value().get());
    QEventLoop loop;
    const bool terminal = isatty(STDERR_FILENO) == 1;
    DeployProgress::Stage shownStage = DeployProgress::Stage::Inspecting;
    bool shownAny = false;
    QObject::connect(&deployer, &TrainerDeployer::progress, &loop, [&](const DeployProgress &progress) {
        if (terminal) {
            std::fprintf(stderr, "\r%s\033[K", qPrintable(progressLine(progress).left(160)));
        } else if (!shownAny || progress.stage != shownStage) {
            std::fprintf(stderr, "%s\n", qPrintable(progressLine(progress)));
        }
        shownAny = true;
        shownStage = progress.stage;
    });
    QObject::connect(&deployer, &TrainerDeployer::finished, &loop, &QEventLoop::quit);

    bool interrupted = false;
    std::unique_ptr<QSocketNotifier> interruptNotifier;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalSocket) == 0) {
        interruptNotifier = std::make_unique<QSocketNotifier>(g_signalSocket[1], QSocketNotifier::Read);
        QObject::connect(interruptNotifier.get(), &QSocketNotifier::activated, &loop, [&] {
            char byte;
            (void)!read(g_signalSocket[1], &byte, 1);
            interrupted = true;
            deployer.cancel();
        });
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigaction(SIGINT, &action, nullptr);
        sigaction(SIGTERM, &action, nullptr);
    }
    deployer.start(parsed->request);
    if (deployer.isRunning())
        loop.exec();
    if (deployer.isStoppingBuild()) {
        // Interrupted during the build: the connection must outlive the command that ends
        // the build on the server (bounded by that command's own timeout).
        QObject::connect(&deployer, &TrainerDeployer::stopFinished, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (terminal && shownAny)
        std::fputs("\r\033[K", stderr);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    if (deployer.error().code != ErrorCode::None) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(deployer.error().message));
        if (interrupted)
            return 130;
        return deployer.error().code == ErrorCode::ConnectionLost ? 255 : 1;
    }
    const DeployOutcome &outcome = deployer.outcome();
    const QString libtorch = outcome.libtorch.isEmpty() ? QString() : QStringLiteral(", LibTorch %1").arg(outcome.libtorch);
    if (outcome.upToDate) {
        std::printf("rdt-trainer %s is up to date at %s%s\n", qPrintable(outcome.version), qPrintable(outcome.trainerPath),
                    qPrintable(libtorch));
        if (outcome.sourceDiffers)
            std::fprintf(stderr, "rdtctl: note: it was built from other sources of the same version; --force rebuilds it\n");
    } else {
        std::printf("installed rdt-trainer %s at %s%s (LibTorch from %s; %d build steps, %.0f s)\n",
                    qPrintable(outcome.version), qPrintable(outcome.trainerPath), qPrintable(libtorch),
                    qPrintable(outcome.libtorchFrom), outcome.buildSteps, outcome.seconds);
    }
    return 0;
}

} // namespace rdt
