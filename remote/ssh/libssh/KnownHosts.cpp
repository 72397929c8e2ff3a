// known_hosts lines are matched with libssh's own parser (ssh_known_hosts_parse_line:
// hashed |1| names, patterns, [host]:port), one file after another, as ssh does.
#include "KnownHosts.h"

#include "SshHost.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace rdt {

namespace {

QString portName(const QString &name, int port)
{
    return port == 22 ? name : QStringLiteral("[%1]:%2").arg(name).arg(port);
}

// libssh's key type names, in its own order of preference, and the algorithms of each.
struct KeyAlgorithms {
    const char *type;
    const char *algorithms;
};
constexpr KeyAlgorithms kAlgorithms[] = {
    {"ssh-ed25519", "ssh-ed25519"},
    {"ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521"},
    {"ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384"},
    {"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"},
    {"ssh-rsa", "rsa-sha2-512,rsa-sha2-256"},
};

} // namespace

KnownHosts::KnownHosts(const SshHost &host)
{
    m_name = host.hostKeyAlias.isEmpty() ? portName(host.hostName, host.port) : host.hostKeyAlias;
    if (!host.knownHostsFile.isEmpty()
        && (host.userKnownHostsFiles.isEmpty() || host.userKnownHostsFiles.first() != host.knownHostsFile)) {
        m_files = {host.knownHostsFile};
    } else if (!host.userKnownHostsFiles.isEmpty()) {
        m_files = host.userKnownHostsFiles;
    } else {
        m_files = {QDir::homePath() + QStringLiteral("/.ssh/known_hosts"),
                   QDir::homePath() + QStringLiteral("/.ssh/known_hosts2")};
    }
    m_files += host.globalKnownHostsFiles;
    for (int i = 0; i < m_files.size(); ++i) {
        QFile file(m_files[i]);
        if (!file.open(QIODevice::ReadOnly))
            continue;   // a missing file is an empty one, as in ssh
        int number = 0;
        while (!file.atEnd()) {
            ++number;
            QByteArray text = file.readLine().trimmed();
            if (text.isEmpty() || text.startsWith('#'))
                continue;
            bool revoked = false;
            if (text.startsWith('@')) {
                const int space = text.indexOf(' ') > 0 ? text.indexOf(' ') : text.indexOf('\t');
                const QByteArray marker = space > 0 ? text.left(space) : text;
                // @cert-authority lines name CAs for host certificates, which the
                // workbench does not accept; they are not keys of the host itself.
                if (marker != "@revoked")
                    continue;
                revoked = true;
                text = text.mid(space + 1).trimmed();
            }
            m_lines.append({m_files[i], number, text, revoked});
        }
    }
}

std::vector<KnownHosts::Entry> KnownHosts::entriesFor(const QString &name, bool revoked) const
{
    std::vector<Entry> entries;
    const QByteArray lookup = name.toUtf8();
    for (const Line &line : m_lines) {
        if (line.revoked != revoked)
            continue;
        ssh_knownhosts_entry *raw = nullptr;
        // SSH_OK only for a line whose name (plain, pattern or hashed) matches.
        if (ssh_known_hosts_parse_line(lookup.constData(), line.text.constData(), &raw) != SSH_OK || !raw)
            continue;
        KnownHostsEntryHandle entry(raw);
        if (!entry->publickey)
            continue;
        ssh_key copy = nullptr;
        // The entry owns its key; keep our own reference through a re-import of its blob.
        char *blob = nullptr;
        if (ssh_pki_export_pubkey_base64(entry->publickey, &blob) != SSH_OK)
            continue;
        const int imported = ssh_pki_import_pubkey_base64(blob, ssh_key_type(entry->publickey), &copy);
        ssh_string_free_char(blob);
        if (imported != SSH_OK)
            continue;
        entries.push_back({line.file, line.number, KeyHandle(copy)});
    }
    return entries;
}

QString KnownHosts::preferredHostKeyAlgorithms() const
{
    QStringList recordedTypes;
    for (const Entry &entry : entriesFor(m_name, false))
        recordedTypes.append(QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(entry.key.get()))));
    QStringList first;
    QStringList rest;
    for (const KeyAlgorithms &algorithms : kAlgorithms)
        (recordedTypes.contains(QLatin1String(algorithms.type)) ? first : rest).append(QLatin1String(algorithms.algorithms));
    return (first + rest).join(QLatin1Char(','));
}

KnownHosts::Verdict KnownHosts::check(ssh_key key, const QString &address) const
{
    QStringList names{m_name};
    if (!address.isEmpty() && address != m_name)
        names.append(address);
    Verdict verdict;
    for (const QString &name : names) {
        for (const Entry &entry : entriesFor(name, true)) {
            if (ssh_key_cmp(entry.key.get(), key, SSH_KEY_CMP_PUBLIC) == 0) {
                verdict.status = Status::Revoked;
                verdict.where = QStringLiteral("%1:%2").arg(entry.file).arg(entry.line);
                return verdict;
            }
        }
    }
    bool known = false;
    for (const QString &name : names) {
        bool nameKnown = false;
        QStringList different;
        for (const Entry &entry : entriesFor(name, false)) {
            if (ssh_key_cmp(entry.key.get(), key, SSH_KEY_CMP_PUBLIC) == 0)
                nameKnown = true;
            else if (ssh_key_type(entry.key.get()) == ssh_key_type(key) || name == m_name)
                different.append(QStringLiteral("%1 (%2:%3)").arg(fingerprint(entry.key.get()), entry.file).arg(entry.line));
        }
        // A name on record with other keys only is a changed key, as libssh reports it;
        // for the address (CheckHostIP) only a different key of the same type counts.
        if (!nameKnown && !different.isEmpty()) {
            verdict.status = Status::Changed;
            verdict.recorded = different;
            verdict.where = name;
            return verdict;
        }
        if (name == m_name)
            known = nameKnown;
    }
    verdict.status = known ? Status::Known : Status::Unknown;
    return verdict;
}

bool KnownHosts::record(ssh_key key, QString *error) const
{
    const QString path = primaryFile();
    char *blob = nullptr;
    if (ssh_pki_export_pubkey_base64(key, &blob) != SSH_OK) {
        *error = QStringLiteral("cannot encode the key");
        return false;
    }
    const QByteArray line = m_name.toUtf8() + ' ' + ssh_key_type_to_char(ssh_key_type(key)) + ' ' + blob + '\n';
    ssh_string_free_char(blob);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite | QIODevice::Append)) {
        *error = file.errorString();
        return false;
    }
    // A last line without its newline would be joined with the new entry.
    QByteArray prefix;
    if (file.size() > 0) {
        QFile reader(path);
        if (reader.open(QIODevice::ReadOnly) && reader.seek(reader.size() - 1) && reader.read(1) != "\n")
            prefix = "\n";
    }
    if (file.write(prefix + line) != prefix.size() + line.size()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

QString KnownHosts::fingerprint(ssh_key key)
{
    unsigned char *hash = nullptr;
    size_t length = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK)
        return QStringLiteral("(no fingerprint)");
    LibsshString text(ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length));
    ssh_clean_pubkey_hash(&hash);
    return text ? QString::fromLatin1(text.get()) : QStringLiteral("(no fingerprint)");
}

} // namespace rdt
