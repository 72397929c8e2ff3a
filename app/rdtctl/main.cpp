// rdtctl: the workbench's operations from a shell — connect through jump hosts, run
// commands, check the server, sync files, build the trainer there, start and follow training runs. Exit status 255 means the connection itself failed, as ssh.
#include "CheckCommand.h"
#include "CliOptions.h"
#include "ConfigCommand.h"
#include "DeployCommand.h"
#include "EvalCommands.h"
#include "ExecCommand.h"
#include "ExportCommand.h"
#include "RunCommands.h"
#include "SyncCommands.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rdtctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RDT_VERSION));

    const rdt::Result<rdt::CliOptions> options = rdt::parseCliOptions(QCoreApplication::arguments());
    if (!options) {
        std::fprintf(stderr, "rdtctl: %s\n%s", qPrintable(options.error().message), qPrintable(rdt::cliUsage()));
        return 2;
    }
    const QString &command = options->command;
    if (command == QLatin1String("help")) {
        std::fputs(qPrintable(rdt::cliUsage()), stdout);
        return 0;
    }
    if (command == QLatin1String("exec"))
        return rdt::runExecCommand(options.value());
    if (command == QLatin1String("check"))
        return rdt::runCheckCommand(options.value());
    if (command == QLatin1String("push"))
        return rdt::runPushCommand(options.value());
    if (command == QLatin1String("pull"))
        return rdt::runPullCommand(options.value());
    if (command == QLatin1String("sync"))
        return rdt::runSyncCommand(options.value());
    if (command == QLatin1String("diff"))
        return rdt::runDiffCommand(options.value());
    if (command == QLatin1String("md5"))
        return rdt::runMd5Command(options.value());
    if (command == QLatin1String("run"))
        return rdt::runRunCommand(options.value());
    if (command == QLatin1String("runs"))
        return rdt::runRunsCommand(options.value());
    if (command == QLatin1String("tail"))
        return rdt::runTailCommand(options.value());
    if (command == QLatin1String("stop"))
        return rdt::runStopCommand(options.value());
    if (command == QLatin1String("resume"))
        return rdt::runResumeCommand(options.value());
    if (command == QLatin1String("eval"))
        return rdt::runEvalCommand(options.value());
    if (command == QLatin1String("evals"))
        return rdt::runEvalsCommand(options.value());
    if (command == QLatin1String("videos"))
        return rdt::runVideosCommand(options.value());
    if (command == QLatin1String("config"))
        return rdt::runConfigCommand(options.value());
    if (command == QLatin1String("export"))
        return rdt::runExportCommand(options.value());
    if (command == QLatin1String("deploy"))
        return rdt::runDeployCommand(options.value());
    std::fprintf(stderr, "rdtctl: unknown command \"%s\"\n%s", qPrintable(command), qPrintable(rdt::cliUsage()));
    return 2;
}
