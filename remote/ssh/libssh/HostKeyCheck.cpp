// Host key verification. libssh reads known_hosts itself (including hashed |1| entries);
// we decide what each outcome means and phrase it for the user. libssh 0.10 skips lines
// with an '@' marker, so "@revoked" lines are read here: a revoked key is refused even
// where another line would accept it, and is never offered for "accept and remember".
#include "HostKeyCheck.h"

#include "LibsshError.h"
#include "LibsshHandles.h"
#include "SshHost.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace rdt {
namespace {

QString fingerprintOf(ssh_key key)
{
    unsigned char *hash = nullptr;
    size_t length = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK)
        return QStringLiteral("(no fingerprint)");
    LibsshString text(ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length));
    ssh_clean_pubkey_hash(&hash);
    return text ? QString::fromLatin1(text.get()) : QStringLiteral("(no fingerprint)");
}

QString knownHostsName(const SshHost &host)
{
    return host.port == 22 ? host.hostName
                           : QStringLiteral("[%1]:%2").arg(host.hostName).arg(host.port);
}

// Fingerprints recorded for `host` in the known_hosts file. libssh reports a changed key
// without the entry it differs from, so the old key is looked up here for the message.
QStringList recordedFingerprints(const QString &knownHostsFile, const SshHost &host)
{
    QFile file(knownHostsFile);
    QStringList fingerprints;
    if (!file.open(QIODevice::ReadOnly))
        return fingerprints;
    const QByteArray name = knownHostsName(host).toUtf8();
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        ssh_knownhosts_entry *raw = nullptr;
        // Returns SSH_OK only for a line whose host (plain, pattern or hashed) matches.
        if (ssh_known_hosts_parse_line(name.constData(), line.constData(), &raw) == SSH_OK && raw) {
            KnownHostsEntryHandle entry(raw);
            if (entry->publickey)
                fingerprints.append(fingerprintOf(entry->publickey));
        }
    }
    return fingerprints;
}

// The line number of an "@revoked" entry of `knownHostsFile` that matches `host` and
// holds `serverKey`; 0 when there is none.
int revokedLine(const QString &knownHostsFile, const SshHost &host, ssh_key serverKey)
{
    QFile file(knownHostsFile);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray name = knownHostsName(host).toUtf8();
    int number = 0;
    while (!file.atEnd()) {
        ++number;
        const QByteArray line = file.readLine().trimmed();
        if (!line.startsWith("@revoked") || line.size() < 10 || (line.at(8) != ' ' && line.at(8) != '\t'))
            continue;
        const QByteArray entryText = line.mid(9).trimmed();
        ssh_knownhosts_entry *raw = nullptr;
        if (ssh_known_hosts_parse_line(name.constData(), entryText.constData(), &raw) != SSH_OK || !raw)
            continue;
        KnownHostsEntryHandle entry(raw);
        if (entry->publickey && ssh_key_cmp(entry->publickey, serverKey, SSH_KEY_CMP_PUBLIC) == 0)
            return number;
    }
    return 0;
}

// libssh appends "host type key\n" to the file as it is; a last line without its newline
// would be joined with the new entry into one broken line.
void endWithNewline(const QString &knownHostsFile)
{
    QFile file(knownHostsFile);
    if (file.size() <= 0 || !file.open(QIODevice::ReadWrite))
        return;
    file.seek(file.size() - 1);
    char last = '\n';
    if (file.read(&last, 1) == 1 && last != '\n') {
        file.seek(file.size());
        file.write("\n", 1);
    }
}

} // namespace

QString serverKeyFingerprint(ssh_session session)
{
    ssh_key raw = nullptr;
    if (ssh_get_server_publickey(session, &raw) != SSH_OK)
        return QStringLiteral("(no key)");
    KeyHandle key(raw);
    return fingerprintOf(key.get());
}

Result<void> verifyHostKey(ssh_session session, const SshHost &host, const QString &knownHostsFile,
                           const SshQuestions &questions)
{
    ssh_key raw = nullptr;
    if (ssh_get_server_publickey(session, &raw) != SSH_OK)
        return libsshError(session, QStringLiteral("reading the host key"), host.displayName());
    KeyHandle serverKey(raw);
    const QString fingerprint = fingerprintOf(serverKey.get());
    const QString keyType = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(serverKey.get())));

    if (const int line = revokedLine(knownHostsFile, host, serverKey.get())) {
        return makeError(ErrorCode::HostKeyChanged,
            QStringLiteral("host key for %1 is REVOKED: %2 marks the %3 key %4 as revoked (line %5); refusing to connect")
                .arg(host.displayName(), knownHostsFile, keyType, fingerprint).arg(line));
    }

    ssh_knownhosts_entry *rawEntry = nullptr;
    const ssh_known_hosts_e state = ssh_session_get_known_hosts_entry(session, &rawEntry);
    KnownHostsEntryHandle entry(rawEntry);

    switch (state) {
    case SSH_KNOWN_HOSTS_OK:
        return {};
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER: {
        QStringList recorded = recordedFingerprints(knownHostsFile, host);
        const QString oldFingerprint = recorded.isEmpty() ? QStringLiteral("another key")
                                                          : recorded.join(QStringLiteral(", "));
        return makeError(ErrorCode::HostKeyChanged,
            QStringLiteral("host key for %1 has CHANGED: %2 records %3, the server now offers %4 %5. "
                           "Someone may be intercepting the connection. If the server was "
                           "reinstalled, remove the old entry with: ssh-keygen -R '%6' -f '%2'")
                .arg(host.displayName(), knownHostsFile, oldFingerprint, keyType, fingerprint,
                     knownHostsName(host)));
    }
    case SSH_KNOWN_HOSTS_NOT_FOUND:
    case SSH_KNOWN_HOSTS_UNKNOWN:
        break;
    case SSH_KNOWN_HOSTS_ERROR:
        return libsshError(session, QStringLiteral("reading known hosts %1").arg(knownHostsFile),
                           host.displayName(), ErrorCode::LocalIo);
    }

    const HostKeyQuestion question{host.displayName(), keyType, fingerprint, knownHostsFile};
    const HostKeyAnswer answer =
        questions.unknownHostKey ? questions.unknownHostKey(question) : HostKeyAnswer::Reject;
    if (answer == HostKeyAnswer::Reject) {
        return makeError(ErrorCode::HostKeyUnknown,
            QStringLiteral("host key for %1 is not known (%2 %3, not in %4) and was not accepted")
                .arg(host.displayName(), keyType, fingerprint, knownHostsFile));
    }
    if (answer == HostKeyAnswer::AcceptAndRemember) {
        // libssh appends to the file it was given; make sure its folder exists, as ssh does.
        QDir().mkpath(QFileInfo(knownHostsFile).absolutePath());
        endWithNewline(knownHostsFile);
        if (ssh_session_update_known_hosts(session) != SSH_OK)
            return libsshError(session, QStringLiteral("recording the host key in %1").arg(knownHostsFile),
                               host.displayName(), ErrorCode::LocalIo);
    }
    return {};
}

} // namespace rdt
