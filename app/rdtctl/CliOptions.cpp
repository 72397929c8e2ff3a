// Global options come before the command, like ssh's own; everything after the command
// name belongs to the command (so `exec HOST -- ls -l` keeps its -l).
#include "CliOptions.h"

namespace rdt {

QString cliUsage()
{
    return QStringLiteral(
        "usage: rdtctl [-F ssh_config] [-J jump[,jump2]] [-i identity] [--known-hosts FILE]\n"
        "              [--accept-new-host-keys] [--connect-timeout S] [-v] COMMAND ...\n"
        "  rdtctl exec HOST -- CMD [ARG...]     run a command; stdout, stderr and exit status pass through\n"
        "  rdtctl check HOST --root DIR [--json] [--dataset LOCAL [--remote-dataset PATH]]\n"
        "               [--model LOCAL [--remote-model PATH]] [--stats PATH]\n"
        "                                        check the server; with local copies, compare them by MD5\n"
        "  rdtctl push LOCAL HOST:REMOTE [--dry-run] [--delete]   send what differs (by MD5)\n"
        "  rdtctl pull HOST:REMOTE LOCAL [--dry-run] [--delete]   fetch what differs\n"
        "  rdtctl sync LOCAL HOST:REMOTE [--dry-run] [--delete]   make the server's copy match\n"
        "  rdtctl diff LOCAL HOST:REMOTE [--json]  compare by MD5; exit 0 when identical, 1 when not\n"
        "  rdtctl md5 HOST:REMOTE...             MD5 of server files, as md5sum prints\n"
        "  rdtctl run HOST --root DIR --name NAME [--trainer PATH] [--timeout S] [--no-tmux] -- TRAINER_FLAGS...\n"
        "                                        start rdt-trainer train detached (tmux or setsid) in ROOT/runs/NAME\n"
        "  rdtctl runs HOST --root DIR [--json]  list runs: state, step / max, last loss, start time\n"
        "  rdtctl tail HOST --root DIR NAME [--follow] [--metrics] [-n N]\n"
        "                                        a run's train.log (or metrics.jsonl), following it live\n"
        "  rdtctl stop HOST --root DIR NAME [--grace S]   SIGINT, then SIGTERM after S s (60)\n"
        "  rdtctl resume HOST --root DIR NAME [--trainer PATH] [--no-tmux]   again from its latest checkpoint\n"
        "  rdtctl export HOST --root DIR NAME [--csv FILE] [--config FILE]\n"
        "                                        a run's metrics as CSV (step, every metric) and its configuration\n"
        "                                        (flags, environment, run.yaml, dataset and model MD5s) as text\n"
        "  rdtctl eval HOST --root DIR --run NAME --checkpoint N [--episodes LIST] [--exec-horizon N]\n"
        "               [--weights ema|raw] [--device D] [--no-video] [--trainer PATH] [--no-tmux]\n"
        "               [--detach | --attach | --stop] [--command PRESET [--field NAME=VALUE]... |\n"
        "               -- COMMAND with {checkpoint} {output_dir} ...]\n"
        "                                        eval a checkpoint detached in ROOT/runs/NAME/eval/checkpoint-N,\n"
        "                                        following it to its end (progress on stderr)\n"
        "  rdtctl evals HOST --root DIR --run NAME [--json]   a run's evals: state, episodes, videos\n"
        "  rdtctl videos HOST --root DIR --run NAME [--checkpoint N] LOCAL\n"
        "                                        fetch evals (results, actions, videos) into LOCAL/checkpoint-N by MD5\n"
        "  rdtctl deploy HOST --root DIR [--libtorch DIR] [--force] [--cmake-arg ARG]... [--env NAME=VALUE]...\n"
        "                                        build this workbench's rdt-trainer on the server into ROOT/bin\n"
        "  rdtctl config HOST                    the ssh_config options for HOST, as `ssh -G HOST` prints them,\n"
        "                                        then the keywords the workbench ignores\n"
        "HOST is an ssh_config alias or [user@]host[:port].\n");
}

Result<CliOptions> parseCliOptions(const QStringList &arguments)
{
    CliOptions options;
    auto needValue = [&](int &i, const QString &flag) -> Result<QString> {
        if (i + 1 >= arguments.size())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 needs a value").arg(flag));
        return arguments.at(++i);
    };
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (!argument.startsWith(QLatin1Char('-')) || argument == QLatin1String("-")) {
            options.command = argument;
            options.arguments = arguments.mid(i + 1);
            return options;
        }
        if (argument == QLatin1String("-v") || argument == QLatin1String("--verbose")) {
            options.verbose = true;
        } else if (argument == QLatin1String("--accept-new-host-keys")) {
            options.acceptNewHostKeys = true;
        } else if (argument == QLatin1String("-h") || argument == QLatin1String("--help")) {
            options.command = QStringLiteral("help");
            return options;
        } else {
            // Options with a value, written "-F FILE", "-FFILE" or "--known-hosts=FILE".
            QString flag = argument;
            QString inlineValue;
            bool hasInline = false;
            if (argument.startsWith(QLatin1String("--")) && argument.contains(QLatin1Char('='))) {
                flag = argument.section(QLatin1Char('='), 0, 0);
                inlineValue = argument.section(QLatin1Char('='), 1);
                hasInline = true;
            } else if (argument.size() > 2 && !argument.startsWith(QLatin1String("--"))) {
                flag = argument.left(2);
                inlineValue = argument.mid(2);
                hasInline = true;
            }
            static const QStringList valued = {QStringLiteral("-F"), QStringLiteral("-J"), QStringLiteral("-i"),
                                               QStringLiteral("--known-hosts"), QStringLiteral("--connect-timeout")};
            if (!valued.contains(flag))
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown option %1").arg(argument));
            QString value = inlineValue;
            if (!hasInline) {
                Result<QString> next = needValue(i, flag);
                if (!next)
                    return next.error();
                value = next.value();
            }
            if (flag == QLatin1String("-F")) {
                options.sshConfigFile = value;
            } else if (flag == QLatin1String("-J")) {
                options.jumps.append(value.split(QLatin1Char(','), Qt::SkipEmptyParts));
            } else if (flag == QLatin1String("-i")) {
                options.identityFiles.append(value);
            } else if (flag == QLatin1String("--known-hosts")) {
                options.knownHostsFile = value;
            } else {
                bool ok = false;
                options.connectTimeoutSeconds = value.toInt(&ok);
                if (!ok || options.connectTimeoutSeconds <= 0)
                    return makeError(ErrorCode::InvalidArgument,
                                     QStringLiteral("--connect-timeout needs a positive number of seconds, not \"%1\"").arg(value));
            }
        }
    }
    return makeError(ErrorCode::InvalidArgument, QStringLiteral("no command given"));
}

} // namespace rdt
