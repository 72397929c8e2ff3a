// The %-tokens and ${ENV} references of ssh_config values, expanded as OpenSSH's
// percent_expand() and percent_dollar_expand() do, with one error naming file and line.
#pragma once

#include "Result.h"

#include <QHash>
#include <QString>

namespace rdt {

// What OpenSSH knows about the local side when it expands tokens: who runs it and where.
struct SshLocalSide {
    QString user;       // %u, and the remote user when nothing else names one
    QString homeDir;    // %d and `~`
    QString hostName;   // %l; %L is its first label
    QString uid;        // %i

    // The running user's, from the password database as ssh does (not $USER).
    // homeDir empty: the user's home from $HOME (tests pass their own).
    static SshLocalSide current(const QString &homeDir);
};

class SshTokens {
public:
    // Replaces every `%x` whose x is a key of `values` and `%%`; any other `%x` is an error,
    // as in ssh. With `environment`, `${NAME}` is replaced by that variable, and an unset
    // one is an error. `where` ("file:line") starts each message.
    [[nodiscard]] static Result<QString> expand(const QString &text, const QHash<QChar, QString> &values,
                                                bool environment, const QString &where);

    // ssh's %C: the SHA-1 of %l%h%p%r%j, in hex.
    static QString connectionHash(const QString &localHost, const QString &host, int port,
                                  const QString &user, const QString &jumpHost);
};

} // namespace rdt
