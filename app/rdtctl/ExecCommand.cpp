// Exec: each argument after `--` reaches the server as exactly one argv element.
#include "ExecCommand.h"

#include "CliConnection.h"

#include <cstdio>
#include <unistd.h>

namespace rdt {
namespace {

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

} // namespace

int runExecCommand(const CliOptions &options)
{
    QStringList arguments = options.arguments;
    if (arguments.isEmpty()) {
        std::fprintf(stderr, "rdtctl exec: HOST missing\n%s", qPrintable(cliUsage()));
        return 2;
    }
    const QString host = arguments.takeFirst();
    if (!arguments.isEmpty() && arguments.first() == QLatin1String("--"))
        arguments.removeFirst();
    if (arguments.isEmpty()) {
        std::fprintf(stderr, "rdtctl exec: no command given after HOST\n");
        return 2;
    }
    Result<std::unique_ptr<SshClient>> client = connectFromCli(options, host);
    if (!client) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(client.error().message));
        return 255;
    }
    CommandSpec spec;
    for (const QString &argument : arguments)
        spec.argv.append(argument.toLocal8Bit());
    const CliRunResult result = runToCompletion(
        *client.value(), spec, [](const QByteArray &data) { writeAll(STDOUT_FILENO, data); },
        [](const QByteArray &data) { writeAll(STDERR_FILENO, data); });
    if (result.error.code != ErrorCode::None) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(result.error.message));
        return 255;
    }
    return result.exitStatus;
}

} // namespace rdt
