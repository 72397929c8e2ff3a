// OpenSSH's known_hosts files for one host, read as ssh reads them: every
// UserKnownHostsFile and GlobalKnownHostsFile, the host under its HostKeyAlias (or
// [name]:port), hashed and pattern entries, and "@revoked" lines, which libssh 0.10 skips.
#pragma once

#include "LibsshHandles.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace rdt {

struct SshHost;

class KnownHosts {
public:
    struct Entry {
        QString file;
        int line = 0;
        KeyHandle key;
    };
    enum class Status { Known, Revoked, Changed, Unknown };
    struct Verdict {
        Status status = Status::Unknown;
        QString where;             // Revoked: "file:line" of the @revoked entry
        QStringList recorded;      // Changed: "SHA256:... (file:line)" of the keys on record
    };

    // The files for `host`: knownHostsFile alone when it was set apart from the config
    // (rdtctl --known-hosts), else every UserKnownHostsFile (~/.ssh/known_hosts and
    // known_hosts2 when none), then every GlobalKnownHostsFile.
    explicit KnownHosts(const SshHost &host);

    // The name entries are looked up under: HostKeyAlias, else "name" or "[name]:port".
    QString lookupName() const { return m_name; }
    // The first user file, where ssh records new keys.
    QString primaryFile() const { return m_files.isEmpty() ? QString() : m_files.first(); }
    QStringList files() const { return m_files; }

    // Host key algorithms with the types on record first, so the server offers a key we
    // can compare (libssh orders them by its own known_hosts file, which may be another).
    QString preferredHostKeyAlgorithms() const;

    // Checks `key` for lookupName() and, when `address` is given (CheckHostIP), for it too:
    // a revoked key anywhere wins; a different key of the same type for the name or the
    // address is a change.
    Verdict check(ssh_key key, const QString &address = {}) const;

    // Appends "name type base64" to primaryFile() (creating its folder, as ssh does).
    bool record(ssh_key key, QString *error) const;

    static QString fingerprint(ssh_key key);

private:
    struct Line {
        QString file;
        int number = 0;
        QByteArray text;     // without a marker
        bool revoked = false;
    };
    std::vector<Entry> entriesFor(const QString &name, bool revoked) const;

    QString m_name;
    QStringList m_files;
    QList<Line> m_lines;
};

} // namespace rdt
