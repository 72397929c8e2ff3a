// POSIX shell quoting: single quotes protect every byte except the single quote itself,
// which is written as '\'' (close, escaped quote, reopen).
#include "ShellQuote.h"

namespace rdt {

QByteArray shellQuote(const QByteArray &argument)
{
    QByteArray quoted;
    quoted.reserve(argument.size() + 2);
    quoted += '\'';
    for (char c : argument) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    quoted += '\'';
    return quoted;
}

bool isValidEnvironmentName(const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    for (int i = 0; i < name.size(); ++i) {
        const char c = name.at(i);
        const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!letter && !(digit && i > 0))
            return false;
    }
    return true;
}

QByteArray shellCommandLine(const QList<QByteArray> &argv, const EnvironmentList &environment)
{
    QByteArray line;
    if (!environment.isEmpty()) {
        // `env` rather than NAME=value prefixes: a quoted prefix is not an assignment to
        // the shell, and env(1) is POSIX. env takes the first word without '=' as the
        // command, so argv[0] must not contain '=' (SshWorker refuses such a command).
        line += "env";
        for (const auto &[name, value] : environment) {
            Q_ASSERT(isValidEnvironmentName(name));
            line += ' ';
            line += shellQuote(name + '=' + value);
        }
    }
    for (const QByteArray &argument : argv) {
        if (!line.isEmpty())
            line += ' ';
        line += shellQuote(argument);
    }
    return line;
}

} // namespace rdt
