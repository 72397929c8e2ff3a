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
    QStringList arguments;          // ProxyCommand: one argument, the rest of the line as written
    QList<SshConfigLine> included; // for keyword "include" only

    QString where() const;   // "file:line"
};

class SshConfigReader {
public:
    // homeDir: where `~` and a user file's relative Include paths (~/.ssh/...) point.
    // A system file's relative Include paths are relative to /etc/ssh (the folder of
    // systemFile), and `~` is not allowed in them, as in ssh.
    explicit SshConfigReader(const QString &homeDir, bool systemFile = false, const QString &systemDir = {})
        : m_homeDir(homeDir), m_systemFile(systemFile), m_systemDir(systemDir) {}

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
    bool m_systemFile = false;
    QString m_systemDir;
    QStringList m_warnings;
};

} // namespace rdt
