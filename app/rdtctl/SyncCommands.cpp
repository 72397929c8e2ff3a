// Push, pull, sync, diff and md5 from the shell. Exit codes: 0 done (diff: identical),
// 1 failed (diff: different), 2 usage, 255 no connection.
#include "SyncCommands.h"

#include "ChecksumCache.h"
#include "ChecksumComparer.h"
#include "CliConnection.h"
#include "RemoteChecksums.h"
#include "SyncRunner.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>

#include <cstdio>
#include <unistd.h>

namespace rdt {
namespace {

struct RemoteArgument {
    QString host;
    QString path;
};

// HOST:PATH as scp writes it; an IPv6 host is bracketed ([::1]:path).
std::optional<RemoteArgument> parseRemoteArgument(const QString &text)
{
    int colon = -1;
    if (text.startsWith(QLatin1Char('['))) {
        const int close = text.indexOf(QLatin1Char(']'));
        if (close > 0 && text.mid(close + 1, 1) == QLatin1String(":"))
            colon = close + 1;
    } else {
        colon = text.indexOf(QLatin1Char(':'));
    }
    if (colon <= 0)
        return std::nullopt;
    RemoteArgument argument{text.left(colon), text.mid(colon + 1)};
    if (argument.path.isEmpty())
        argument.path = QStringLiteral(".");
    return argument;
}

struct Flags {
    bool dryRun = false;
    bool deleteExtra = false;
    bool json = false;
    QStringList positional;
};

std::optional<Flags> parseFlags(const QStringList &arguments, const char *command)
{
    Flags flags;
    for (const QString &argument : arguments) {
        if (argument == QLatin1String("--dry-run") || argument == QLatin1String("-n"))
            flags.dryRun = true;
        else if (argument == QLatin1String("--delete"))
            flags.deleteExtra = true;
        else if (argument == QLatin1String("--json"))
            flags.json = true;
        else if (argument.startsWith(QLatin1String("--"))) {
            std::fprintf(stderr, "rdtctl %s: unknown option %s\n", command, qPrintable(argument));
            return std::nullopt;
        } else
            flags.positional.append(argument);
    }
    return flags;
}

bool stderrIsTerminal()
{
    return isatty(STDERR_FILENO) == 1;
}

QString humanBytes(qint64 bytes)
{
    const double value = double(bytes);
    if (value >= 1e9)
        return QStringLiteral("%1 GB").arg(value / 1e9, 0, 'f', 2);
    if (value >= 1e6)
        return QStringLiteral("%1 MB").arg(value / 1e6, 0, 'f', 1);
    if (value >= 1e3)
        return QStringLiteral("%1 kB").arg(value / 1e3, 0, 'f', 1);
    return QStringLiteral("%1 B").arg(bytes);
}

QString duration(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("--:--");
    const qint64 s = qint64(seconds + 0.5);
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

// Runs a comparison to its end, with a progress line on a terminal.
bool compare(ChecksumComparer &comparer, const QString &local, const QString &remote)
{
    QEventLoop loop;
    const bool terminal = stderrIsTerminal();
    QObject::connect(&comparer, &ChecksumComparer::progress, &loop,
                     [terminal](const ChecksumProgress &here, const ChecksumProgress &there) {
                         if (terminal)
                             std::fprintf(stderr, "\rchecksums: here %d/%d files, server %d/%d files   ", here.filesDone,
                                          here.filesTotal, there.filesDone, there.filesTotal);
                     });
    QObject::connect(&comparer, &ChecksumComparer::finished, &loop, &QEventLoop::quit);
    comparer.start(local, remote);
    loop.exec();
    if (terminal)
        std::fputs("\r\033[K", stderr);
    for (const QString &warning : comparer.warnings())
        std::fprintf(stderr, "rdtctl: warning: %s\n", qPrintable(warning));
    if (comparer.error().code != ErrorCode::None) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(comparer.error().message));
        return false;
    }
    return true;
}

bool runPlan(SshClient &client, const SyncPlan &plan, const QString &local, const QString &remote, bool singleFile)
{
    SyncRunner runner(&client);
    QEventLoop loop;
    const bool terminal = stderrIsTerminal();
    QObject::connect(&runner, &SyncRunner::progress, &loop, [terminal](const TransferProgress &total, const QString &file) {
        if (terminal)
            std::fprintf(stderr, "\r%s / %s  %s/s  ETA %s  %s\033[K", qPrintable(humanBytes(total.bytesDone)),
                         qPrintable(humanBytes(total.bytesTotal)), qPrintable(humanBytes(qint64(total.bytesPerSecond))),
                         qPrintable(duration(total.secondsLeft)), qPrintable(file.right(40)));
    });
    QObject::connect(&runner, &SyncRunner::fileStarted, &loop, [terminal](const QString &file, qint64 bytes) {
        if (!terminal)
            std::fprintf(stderr, "%s (%s)\n", qPrintable(file), qPrintable(humanBytes(bytes)));
    });
    QObject::connect(&runner, &SyncRunner::finished, &loop, &QEventLoop::quit);
    runner.run(plan, local, remote, singleFile);
    loop.exec();
    if (terminal)
        std::fputs("\r\033[K", stderr);
    if (runner.error().code != ErrorCode::None) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(runner.error().message));
        return false;
    }
    std::fprintf(stderr, "%d files, %s sent\n", runner.filesDone(), qPrintable(humanBytes(runner.bytesMoved())));
    return true;
}

void printPlan(const SyncPlan &plan, bool listFiles)
{
    std::fprintf(stderr, "%s\n", qPrintable(plan.summary()));
    if (!listFiles)
        return;
    for (const PlannedTransfer &transfer : plan.transfers())
        std::printf("%s %s (%s)\n", transfer.replaces ? "update" : "new   ", qPrintable(transfer.relativePath),
                    qPrintable(humanBytes(transfer.bytes)));
    for (const QString &path : plan.deletions())
        std::printf("delete %s\n", qPrintable(path));
}

// push and pull share everything but the direction and the argument order.
int transfer(const CliOptions &options, SyncDirection direction, const char *command, bool deleteByDefault)
{
    std::optional<Flags> flags = parseFlags(options.arguments, command);
    if (!flags)
        return 2;
    if (flags->positional.size() != 2) {
        std::fprintf(stderr, "rdtctl %s: needs %s\n", command,
                     direction == SyncDirection::Push ? "LOCAL HOST:REMOTE" : "HOST:REMOTE LOCAL");
        return 2;
    }
    const QString remoteText = direction == SyncDirection::Push ? flags->positional[1] : flags->positional[0];
    QString local = direction == SyncDirection::Push ? flags->positional[0] : flags->positional[1];
    const std::optional<RemoteArgument> remote = parseRemoteArgument(remoteText);
    if (!remote) {
        std::fprintf(stderr, "rdtctl %s: \"%s\" is not HOST:PATH\n", command, qPrintable(remoteText));
        return 2;
    }
    if (direction == SyncDirection::Push && !QFileInfo::exists(local)) {
        std::fprintf(stderr, "rdtctl %s: %s does not exist\n", command, qPrintable(local));
        return 1;
    }
    Result<std::unique_ptr<SshClient>> client = connectFromCli(options, remote->host);
    if (!client) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(client.error().message));
        return 255;
    }
    ChecksumCache cache;
    (void)cache.load();   // a missing or unreadable cache only means hashing again
    ChecksumComparer comparer(client.value().get());
    comparer.setLocalOptions({&cache});
    QString remotePath = remote->path;
    if (!compare(comparer, local, remotePath))
        return 1;
    // A file into a folder lands inside it, as with cp and scp.
    const bool localIsFile = QFileInfo(local).isFile();
    if (direction == SyncDirection::Push && localIsFile && comparer.remoteRootKind() == RemoteRootKind::Folder) {
        remotePath += QLatin1Char('/') + QFileInfo(local).fileName();
        if (!compare(comparer, local, remotePath))
            return 1;
    }
    const bool remoteIsFile = comparer.remoteRootKind() == RemoteRootKind::File;
    if (direction == SyncDirection::Pull && remoteIsFile && QFileInfo(local).isDir()) {
        local += QLatin1Char('/') + QFileInfo(remotePath).fileName();
        if (!compare(comparer, local, remotePath))
            return 1;
    }
    if (direction == SyncDirection::Pull && comparer.remoteRootKind() == RemoteRootKind::Missing) {
        std::fprintf(stderr, "rdtctl %s: %s:%s does not exist\n", command, qPrintable(remote->host), qPrintable(remotePath));
        return 1;
    }
    const bool singleFile = direction == SyncDirection::Push ? QFileInfo(local).isFile() : remoteIsFile;
    const SyncPlan plan = SyncPlan::make(comparer.comparison(), direction, flags->deleteExtra || deleteByDefault);
    printPlan(plan, flags->dryRun);
    if (flags->dryRun || plan.isEmpty())
        return 0;
    return runPlan(*client.value(), plan, local, remotePath, singleFile) ? 0 : 1;
}

} // namespace

int runPushCommand(const CliOptions &options)
{
    return transfer(options, SyncDirection::Push, "push", false);
}

int runPullCommand(const CliOptions &options)
{
    return transfer(options, SyncDirection::Pull, "pull", false);
}

int runSyncCommand(const CliOptions &options)
{
    return transfer(options, SyncDirection::Push, "sync", false);
}

int runDiffCommand(const CliOptions &options)
{
    std::optional<Flags> flags = parseFlags(options.arguments, "diff");
    if (!flags)
        return 2;
    const std::optional<RemoteArgument> remote =
        flags->positional.size() == 2 ? parseRemoteArgument(flags->positional[1]) : std::nullopt;
    if (!remote) {
        std::fprintf(stderr, "rdtctl diff: needs LOCAL HOST:REMOTE\n");
        return 2;
    }
    Result<std::unique_ptr<SshClient>> client = connectFromCli(options, remote->host);
    if (!client) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(client.error().message));
        return 255;
    }
    ChecksumCache cache;
    (void)cache.load();
    ChecksumComparer comparer(client.value().get());
    comparer.setLocalOptions({&cache});
    if (!compare(comparer, flags->positional[0], remote->path))
        return 2;
    const FileComparison &comparison = comparer.comparison();
    if (flags->json) {
        std::fputs(QJsonDocument(comparison.toJson()).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        for (const ComparedFile &file : comparison.files()) {
            if (file.state == FileState::Same)
                continue;
            std::printf("%-13s %s  here %s  server %s\n", qPrintable(FileComparison::stateName(file.state)),
                        qPrintable(file.relativePath),
                        file.local ? qPrintable(QStringLiteral("%1 %2").arg(humanBytes(file.local->size), file.local->md5)) : "-",
                        file.remote ? qPrintable(QStringLiteral("%1 %2").arg(humanBytes(file.remote->size), file.remote->md5)) : "-");
        }
        std::printf("%d same, %d different, %d only on the server, %d only here\n", comparison.count(FileState::Same),
                    comparison.count(FileState::Different), comparison.count(FileState::MissingHere),
                    comparison.count(FileState::MissingThere));
    }
    return comparison.isIdentical() ? 0 : 1;
}

int runMd5Command(const CliOptions &options)
{
    if (options.arguments.isEmpty()) {
        std::fprintf(stderr, "rdtctl md5: needs HOST:REMOTE...\n");
        return 2;
    }
    int status = 0;
    std::unique_ptr<SshClient> client;
    QString connectedHost;
    for (const QString &argument : options.arguments) {
        const std::optional<RemoteArgument> remote = parseRemoteArgument(argument);
        if (!remote) {
            std::fprintf(stderr, "rdtctl md5: \"%s\" is not HOST:PATH\n", qPrintable(argument));
            return 2;
        }
        if (!client || connectedHost != remote->host) {
            Result<std::unique_ptr<SshClient>> connected = connectFromCli(options, remote->host);
            if (!connected) {
                std::fprintf(stderr, "rdtctl: %s\n", qPrintable(connected.error().message));
                return 255;
            }
            client = std::move(connected).value();
            connectedHost = remote->host;
        }
        RemoteChecksums sums(client.get());
        QEventLoop loop;
        QObject::connect(&sums, &RemoteChecksums::finished, &loop, &QEventLoop::quit);
        sums.start(remote->path);
        loop.exec();
        if (sums.error().code != ErrorCode::None) {
            std::fprintf(stderr, "rdtctl: %s\n", qPrintable(sums.error().message));
            status = 1;
            continue;
        }
        if (sums.rootKind() == RemoteRootKind::Missing) {
            std::fprintf(stderr, "rdtctl md5: %s: no such file or folder\n", qPrintable(argument));
            status = 1;
            continue;
        }
        for (const FileChecksum &file : sums.files()) {
            const QString path = sums.rootKind() == RemoteRootKind::File ? remote->path
                                                                         : remote->path + QLatin1Char('/') + file.relativePath;
            std::printf("%s  %s\n", qPrintable(file.md5), qPrintable(path));
        }
    }
    return status;
}

} // namespace rdt
