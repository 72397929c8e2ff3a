// The command line's side of connecting. Questions arrive on the connection's thread;
// reading the terminal there is fine because rdtctl's main thread only waits meanwhile.
#include "CliConnection.h"

#include "RemoteProcess.h"
#include "ConfigCommand.h"
#include "SshConfig.h"
#include "TerminalSecret.h"

#include <QEventLoop>
#include <QFile>

#include <cstdio>

namespace rdt {
namespace {

SshQuestions cliQuestions(const CliOptions &options)
{
    SshQuestions questions;
    const bool accept = options.acceptNewHostKeys;
    questions.unknownHostKey = [accept](const HostKeyQuestion &question) {
        if (accept) {
            std::fprintf(stderr, "rdtctl: recording new host key for %s (%s %s) in %s\n", qPrintable(question.host),
                         qPrintable(question.keyType), qPrintable(question.fingerprint),
                         qPrintable(question.knownHostsFile));
            return HostKeyAnswer::AcceptAndRemember;
        }
        std::fprintf(stderr, "rdtctl: unknown host key for %s: %s %s (run with --accept-new-host-keys to trust it)\n",
                     qPrintable(question.host), qPrintable(question.keyType), qPrintable(question.fingerprint));
        return HostKeyAnswer::Reject;
    };
    questions.secret = TerminalSecret::read;
    return questions;
}

} // namespace

Result<SshRoute> resolveCliRoute(const CliOptions &options, const QString &hostSpec)
{
    Result<SshConfig> config = SshConfig::load(options.sshConfigFile, {}, systemSshConfigFile());
    if (!config)
        return config.error();
    Result<SshRoute> resolved = config->resolve(hostSpec, options.jumps);
    if (!resolved)
        return resolved.error();
    SshRoute route = resolved.value();
    // Command-line options apply to every hop, as the user means "use this key/file".
    auto applyOptions = [&options](SshHost &host) {
        if (!options.identityFiles.isEmpty())
            host.identityFiles = options.identityFiles + host.identityFiles;
        if (!options.knownHostsFile.isEmpty())
            host.knownHostsFile = options.knownHostsFile;
        if (options.connectTimeoutSeconds > 0)
            host.connectTimeoutSeconds = options.connectTimeoutSeconds;
        // The flag is the user's answer to the host-key question, given in advance: it
        // wins over StrictHostKeyChecking in the file, as `ssh -o` does. A changed or
        // revoked key is still refused.
        if (options.acceptNewHostKeys)
            host.strictHostKeyChecking = QStringLiteral("ask");
    };
    for (SshHost &jump : route.jumps)
        applyOptions(jump);
    applyOptions(route.target);
    return route;
}

Result<std::unique_ptr<SshClient>> connectFromCli(const CliOptions &options, const QString &hostSpec)
{
    Result<SshRoute> route = resolveCliRoute(options, hostSpec);
    if (!route)
        return route.error();
    auto client = std::make_unique<SshClient>(cliQuestions(options));
    QEventLoop loop;
    Error failure;
    bool ok = false;
    QObject::connect(client.get(), &SshClient::connectStep, &loop, [&options](const ConnectStep &step) {
        if (options.verbose)
            std::fprintf(stderr, "rdtctl: %s\n", qPrintable(step.describe()));
    });
    QObject::connect(client.get(), &SshClient::connected, &loop, [&] {
        ok = true;
        loop.quit();
    });
    QObject::connect(client.get(), &SshClient::connectFailed, &loop, [&](const Error &error) {
        failure = error;
        loop.quit();
    });
    client->connectToHost(route.value());
    loop.exec();
    if (!ok) {
        if (failure.code == ErrorCode::HostKeyUnknown && !options.acceptNewHostKeys)
            failure.message += QStringLiteral(" (run with --accept-new-host-keys to trust it)");
        return failure;
    }
    return std::move(client);
}

CliRunResult runToCompletion(SshClient &client, const CommandSpec &spec,
                             const std::function<void(const QByteArray &)> &onStdout,
                             const std::function<void(const QByteArray &)> &onStderr)
{
    QEventLoop loop;
    RemoteProcess *process = client.start(spec);
    QObject::connect(process, &RemoteProcess::standardOutput, &loop, onStdout);
    QObject::connect(process, &RemoteProcess::standardError, &loop, onStderr);
    QObject::connect(process, &RemoteProcess::finished, &loop, &QEventLoop::quit);
    // The connection may die before the command says anything.
    QObject::connect(&client, &SshClient::connectionLost, &loop, &QEventLoop::quit);
    loop.exec();
    CliRunResult result;
    if (process->isRunning()) {
        result.error = makeError(ErrorCode::ConnectionLost, QStringLiteral("connection lost"));
    } else {
        result.exitStatus = process->exitStatus();
        result.error = process->error();
    }
    process->deleteLater();
    return result;
}

} // namespace rdt
