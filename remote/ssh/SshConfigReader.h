// Reads ssh_config text into keyword lines, with Include expanded in place, and rejects
// what ssh would reject anywhere in a file (bad numbers, unknown Match criteria, bad
// ProxyJump elements), naming file and line. SshConfig evaluates the lines.
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace rdt {

// One keyword line, with where it came from so errors can name file and line.
// `Include` lines carry the lines of the files they included, so that the Host block
// around an Include still governs what it brings in.
struct SshConfigLine {
    QString file;
    int lineNumber = 0;
    QString keyword;      // lower case
    QStringList arguments;
    QList<SshConfigLine> included; // for keyword "include" only

    QString where() const;   // "file:line"
};

class SshConfigReader {
public:
    // homeDir: where `~` and relative Include paths (~/.ssh/...) point.
    explicit SshConfigReader(const QString &homeDir) : m_homeDir(homeDir) {}

    [[nodiscard]] Result<QList<SshConfigLine>> readFile(const QString &path, int depth = 0);
    // fileName is used in messages; Include paths are still relative to ~/.ssh.
    [[nodiscard]] Result<QList<SshConfigLine>> parseText(const QByteArray &text,
                                                         const QString &fileName, int depth = 0);

    // Lines accepted but not honoured ("config:12: Match exec is not supported; ...").
    QStringList warnings() const { return m_warnings; }

    // `~` and `~/...` under homeDir; anything else unchanged.
    static QString expandTilde(const QString &path, const QString &homeDir);
    // A ConfigError "where: why".
    static Error configError(const QString &where, const QString &why);

private:
    // Values ssh would reject anywhere in the file, even in a block that does not apply.
    [[nodiscard]] Result<void> checkValues(const SshConfigLine &line);
    [[nodiscard]] Result<void> readIncluded(SshConfigLine &line, int depth);

    QString m_homeDir;
    QStringList m_warnings;
};

} // namespace rdt
