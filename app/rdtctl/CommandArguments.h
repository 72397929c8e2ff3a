// The arguments of an rdtctl command after its name, as the run and eval commands take
// them: HOST and other positionals, --options with a value, bare --flags, and what follows
// "--" untouched; and the usage error those commands answer a bad command line with.
#pragma once

#include "Result.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace rdt {

struct CommandArguments {
    QStringList positionals;
    QHash<QString, QString> values;          // an option given twice: its last value
    QHash<QString, QStringList> allValues;   // every value of each option, in order (repeatable options)
    QSet<QString> flags;
    QStringList passThrough;
};

// `valued` options take the next argument; anything else starting with "-" that is not in
// `flags` is an error naming the command. "--" ends the options when allowPassThrough.
Result<CommandArguments> parseCommandArguments(const QString &command, const QStringList &arguments,
                                               const QStringList &valued, const QStringList &flags,
                                               bool allowPassThrough);

// Prints the message and the usage on stderr; returns the exit status for a usage error (2).
int usageError(const QString &message);

} // namespace rdt
