// One pass over the arguments; the first unknown option or missing value is the error.
#include "CommandArguments.h"

#include "CliOptions.h"

#include <cstdio>

namespace rdt {

Result<CommandArguments> parseCommandArguments(const QString &command, const QStringList &arguments,
                                               const QStringList &valued, const QStringList &flags,
                                               bool allowPassThrough)
{
    CommandArguments parsed;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QLatin1String("--") && allowPassThrough) {
            parsed.passThrough = arguments.mid(i + 1);
            break;
        }
        if (valued.contains(argument)) {
            if (i + 1 >= arguments.size())
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("rdtctl %1: %2 needs a value").arg(command, argument));
            parsed.values.insert(argument, arguments.at(++i));
            parsed.allValues[argument].append(arguments.at(i));
        } else if (flags.contains(argument)) {
            parsed.flags.insert(argument);
        } else if (argument.startsWith(QLatin1Char('-')) && argument != QLatin1String("-")) {
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("rdtctl %1: unknown option %2").arg(command, argument));
        } else {
            parsed.positionals.append(argument);
        }
    }
    return parsed;
}

int usageError(const QString &message)
{
    std::fprintf(stderr, "%s\n%s", qPrintable(message), qPrintable(cliUsage()));
    return 2;
}

} // namespace rdt
