// OpenSSH client configuration (~/.ssh/config or `ssh -F FILE`), read the way `ssh` reads it,
// and the resolution of a destination plus its ProxyJump chain into an SshRoute.
#pragma once

#include "Result.h"
#include "SshConfigReader.h"
#include "SshDestination.h"
#include "SshHost.h"
#include "SshResolvedOptions.h"
#include "SshTokens.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace rdt {

// Immutable after load(); resolve() may be called from any thread (a `Match exec` runs
// its command there).
//
// Semantics follow ssh_config(5) as OpenSSH 9 implements it (SshConfigEvaluator):
//  - Host lines take several patterns with `*` and `?`, and `!` negation; they match the name
//    the user typed (not the HostName), case-sensitively as ssh does, and in the final pass
//    the resolved HostName. `Match` supports all, host, originalhost, user, localuser, exec,
//    canonical and final; localnetwork and tagged never match and are listed in warnings().
//  - For each keyword the first value obtained wins; IdentityFile and CertificateFile
//    accumulate. ProxyJump and ProxyCommand exclude each other.
//  - The user's file, then the system file (/etc/ssh/ssh_config), unless a file was named
//    (ssh -F), which replaces both.
//  - HostName, then numeric addresses in canonical form, then CanonicalizeHostname with
//    CanonicalDomains; canonicalisation or `Match final` re-reads both files for the
//    resolved name (the final pass).
//  - Keywords are case-insensitive; `Key Value` and `Key=Value`; double- and single-quoted
//    arguments; `#` starts a comment at the beginning of a line or of an argument.
//  - Include takes globs; relative paths are relative to ~/.ssh (/etc/ssh in the system file).
//  - Command-line values win over the file: the user and port of the destination (and of
//    each ProxyJump element), and the -J list, which replaces ProxyJump.
class SshConfig {
public:
    // An empty configuration, as with `ssh -F /dev/null`: every host resolves to itself.
    SshConfig() : SshConfig(QString()) {}

    static QString defaultSystemFile() { return QStringLiteral("/etc/ssh/ssh_config"); }

    // path empty: ~/.ssh/config, which may be missing (an empty configuration, as in ssh),
    // followed by systemPath (which may be missing too; empty: none). An explicit path
    // (ssh -F) must exist, and no system file is read. homeDir empty: the user's home; tests
    // pass their own so `~` and %d expand predictably.
    [[nodiscard]] static Result<SshConfig> load(const QString &path = {}, const QString &homeDir = {},
                                                const QString &systemPath = defaultSystemFile());

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

    // The options for one host in the format of `ssh -G` (SshConfigDump), then one
    // "# ignored KEYWORD (file:line)" line per keyword obtained that the workbench ignores.
    [[nodiscard]] Result<QStringList> dump(const QString &hostSpec, const QStringList &extraJumps = {}) const;

    // Every keyword in the files (Include followed) that the workbench does not act on,
    // "keyword (file:line)", each keyword once.
    QStringList ignoredKeywords() const;

    // The keywords of the user's file (not the system's) obtained for this host that the
    // workbench does not act on, each once, "keyword (file:line)": what the GUI names when
    // it connects. Empty when the host
    // does not resolve (resolve() reports that).
    QStringList ignoredKeywordsFor(const QString &hostSpec) const;

    // Lines that were accepted but cannot be honoured ("config:12: Match localnetwork is not
    // supported; ..."). Worth showing once in a verbose mode.
    QStringList warnings() const { return m_warnings; }

    // The file load() read, for messages.
    QString fileName() const { return m_fileName; }

    // The concrete names on Host lines (Include followed), in file order, each once: what a
    // user can type as a destination. Patterns with `*` or `?` and `!` negations are left
    // out, since they name no host of their own.
    QStringList hostAliases() const;

private:
    // A hop being resolved. Resolving the same destination with the same jump override
    // again, further down the same chain, would never end: that is a ProxyJump loop. The
    // same host reached with a different override is fine (`-J jump2,jump` where jump2
    // itself goes through jump).
    struct Visit {
        QString key;   // user@host:port|override
        QString name;  // as the user wrote it, for the message
    };

    // Both passes over the files for one destination (-J list as an override).
    [[nodiscard]] Result<SshResolvedOptions> resolveOptions(const SshDestination &destination,
                                                            const QStringList &jumpOverride) const;
    // The workbench's reading of resolved options: defaults, numbers, expanded paths.
    [[nodiscard]] Result<SshHost> hostFrom(const SshResolvedOptions &options) const;
    [[nodiscard]] Result<SshRoute> resolveRoute(const SshDestination &destination,
                                                const QStringList &jumpOverride,
                                                const QString &jumpOverrideWhere,
                                                QList<Visit> &visiting) const;
    [[nodiscard]] QString expandTilde(const QString &path) const;

    explicit SshConfig(const QString &homeDir);

    QList<SshConfigLine> m_lines;        // the user's file, or the one named with -F
    QList<SshConfigLine> m_systemLines;  // read after m_lines
    QString m_fileName;
    SshLocalSide m_local;
    QStringList m_warnings;
};

} // namespace rdt
