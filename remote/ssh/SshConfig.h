// OpenSSH client configuration (~/.ssh/config or `ssh -F FILE`), read the way `ssh` reads it,
// and the resolution of a destination plus its ProxyJump chain into an SshRoute.
#pragma once

#include "Result.h"
#include "SshConfigReader.h"
#include "SshDestination.h"
#include "SshHost.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace rdt {

// Immutable after load(); resolve() may be called from any thread.
//
// Semantics follow ssh_config(5) as OpenSSH 9 implements it:
//  - Host lines take several patterns with `*` and `?`, and `!` negation; they match the name
//    the user typed (not the HostName), case-sensitively as ssh does; the resolved HostName
//    is lower case, as in ssh. `Match` supports all, host,
//    originalhost, user and localuser; other criteria (exec, canonical, final, tagged,
//    localnetwork) never match, and are listed in warnings().
//  - For each keyword the first value obtained wins, except IdentityFile, which accumulates.
//  - Keywords are case-insensitive; `Key Value` and `Key=Value`; double- and single-quoted
//    arguments; `#` starts a comment at the beginning of a line or of an argument.
//  - Include takes globs; relative paths are relative to ~/.ssh, as for a user config.
//  - Command-line values win over the file: the user and port of the destination (and of
//    each ProxyJump element), and the -J list, which replaces ProxyJump.
class SshConfig {
public:
    // An empty configuration, as with `ssh -F /dev/null`: every host resolves to itself.
    SshConfig() : SshConfig(QString()) {}

    // path empty: ~/.ssh/config, which may be missing (an empty configuration, as in ssh).
    // An explicit path (ssh -F) must exist. homeDir empty: the user's home; tests pass their
    // own so `~` and %d expand predictably.
    [[nodiscard]] static Result<SshConfig> load(const QString &path = {},
                                                const QString &homeDir = {});

    // Parses configuration text directly; `fileName` is used in messages and to resolve
    // nothing else (Include paths are still relative to ~/.ssh).
    [[nodiscard]] static Result<SshConfig> parse(const QByteArray &text, const QString &fileName,
                                                 const QString &homeDir = {});

    // hostSpec: an alias or `[user@]host[:port]`, also `ssh://[user@]host[:port]` and
    // `[v6addr]:port`. extraJumps: the -J list (each element `[user@]host[:port]` or an alias,
    // a single element may itself be a comma chain); non-empty, it replaces ProxyJump.
    // Every jump host is itself resolved through this configuration, as ssh does when it
    // runs `ssh -W` for the hop. Loops in ProxyJump are reported, with their file and line.
    [[nodiscard]] Result<SshRoute> resolve(const QString &hostSpec,
                                           const QStringList &extraJumps = {}) const;

    // Resolves one host without following ProxyJump (the route's target alone).
    [[nodiscard]] Result<SshHost> resolveHost(const QString &hostSpec) const;

    // Lines that were accepted but cannot be honoured ("config:12: Match exec is not
    // supported; the block is skipped"). Worth showing once in a verbose mode.
    QStringList warnings() const { return m_warnings; }

    // The file load() read, for messages.
    QString fileName() const { return m_fileName; }

    // The concrete names on Host lines (Include followed), in file order, each once: what a
    // user can type as a destination. Patterns with `*` or `?` and `!` negations are left
    // out, since they name no host of their own.
    QStringList hostAliases() const;

private:
    struct Lookup;  // the values obtained for one host while walking the lines

    // A hop being resolved. Resolving the same destination with the same jump override
    // again, further down the same chain, would never end: that is a ProxyJump loop. The
    // same host reached with a different override is fine (`-J jump2,jump` where jump2
    // itself goes through jump).
    struct Visit {
        QString key;   // user@host:port|override
        QString name;  // as the user wrote it, for the message
    };

    [[nodiscard]] Result<SshHost> lookUp(const SshDestination &destination, Lookup &lookup) const;
    void applyLines(const QList<SshConfigLine> &lines, bool enclosingActive,
                    const SshDestination &destination, Lookup &lookup) const;
    [[nodiscard]] bool matchBlock(const SshConfigLine &line, const SshDestination &destination,
                                  const Lookup &lookup) const;
    [[nodiscard]] Result<SshRoute> resolveRoute(const SshDestination &destination,
                                                const QStringList &jumpOverride,
                                                const QString &jumpOverrideWhere,
                                                QList<Visit> &visiting) const;
    [[nodiscard]] Result<QString> expandTokens(const QString &value, const QString &allowed,
                                               const SshDestination &destination,
                                               const SshHost &host, const QString &where) const;
    [[nodiscard]] QString expandTilde(const QString &path) const;

    explicit SshConfig(const QString &homeDir);

    QList<SshConfigLine> m_lines;
    QString m_fileName;
    QString m_homeDir;
    QString m_localUser;
    QString m_localHostName;
    QStringList m_warnings;
};

} // namespace rdt
