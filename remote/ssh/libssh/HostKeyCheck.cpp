// Host key verification: KnownHosts says what the files record; here each outcome gets its
// meaning and its words. A revoked key is refused even where another line would accept
// it, and is never offered for "accept and remember".
#include "HostKeyCheck.h"

#include "KnownHosts.h"
#include "LibsshError.h"
#include "LibsshHandles.h"
#include "SshHost.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace rdt {

QString serverKeyFingerprint(ssh_session session)
{
    ssh_key raw = nullptr;
    if (ssh_get_server_publickey(session, &raw) != SSH_OK)
        return QStringLiteral("(no key)");
    KeyHandle key(raw);
    return KnownHosts::fingerprint(key.get());
}

Result<void> verifyHostKey(ssh_session session, const SshHost &host, const KnownHosts &knownHosts,
                           const QString &address, const SshQuestions &questions)
{
    ssh_key raw = nullptr;
    if (ssh_get_server_publickey(session, &raw) != SSH_OK)
        return libsshError(session, QStringLiteral("reading the host key"), host.displayName());
    KeyHandle serverKey(raw);
    const QString fingerprint = KnownHosts::fingerprint(serverKey.get());
    const QString keyType = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(serverKey.get())));
    const QString name = knownHosts.lookupName();
    const QString files = knownHosts.files().join(QStringLiteral(", "));

    const KnownHosts::Verdict verdict = knownHosts.check(serverKey.get(), address);
    switch (verdict.status) {
    case KnownHosts::Status::Known:
        return {};
    case KnownHosts::Status::Revoked:
        return makeError(ErrorCode::HostKeyChanged,
            QStringLiteral("host key for %1 is REVOKED: %2 marks the %3 key %4 as revoked; refusing to connect")
                .arg(host.displayName(), verdict.where, keyType, fingerprint));
    case KnownHosts::Status::Changed:
        return makeError(ErrorCode::HostKeyChanged,
            QStringLiteral("host key for %1 has CHANGED: known_hosts records %2 for %3, the server now offers %4 %5. "
                           "Someone may be intercepting the connection. If the server was "
                           "reinstalled, remove the old entry with: ssh-keygen -R '%3' -f '%6'")
                .arg(host.displayName(), verdict.recorded.join(QStringLiteral(", ")), verdict.where, keyType,
                     fingerprint, verdict.recorded.isEmpty() ? knownHosts.primaryFile()
                                                             : verdict.recorded.first().section(QLatin1Char('('), 1)
                                                                   .section(QLatin1Char(':'), 0, 0)));
    case KnownHosts::Status::Unknown:
        break;
    }

    HostKeyAnswer answer = HostKeyAnswer::Reject;
    if (host.strictHostKeyChecking == QLatin1String("yes")) {
        return makeError(ErrorCode::HostKeyUnknown,
            QStringLiteral("host key for %1 is not known (%2 %3 for %4, not in %5) and StrictHostKeyChecking is yes: "
                           "refused without asking")
                .arg(host.displayName(), keyType, fingerprint, name, files));
    }
    if (host.strictHostKeyChecking == QLatin1String("accept-new") || host.strictHostKeyChecking == QLatin1String("no")) {
        answer = HostKeyAnswer::AcceptAndRemember;
    } else if (questions.unknownHostKey) {
        answer = questions.unknownHostKey(HostKeyQuestion{host.displayName(), keyType, fingerprint, knownHosts.primaryFile()});
    }
    if (answer == HostKeyAnswer::Reject) {
        return makeError(ErrorCode::HostKeyUnknown,
            QStringLiteral("host key for %1 is not known (%2 %3 for %4, not in %5) and was not accepted")
                .arg(host.displayName(), keyType, fingerprint, name, files));
    }
    if (answer == HostKeyAnswer::AcceptAndRemember) {
        QString error;
        if (!knownHosts.record(serverKey.get(), &error))
            return makeError(ErrorCode::LocalIo, QStringLiteral("recording the host key of %1 in %2: %3")
                                                     .arg(host.displayName(), knownHosts.primaryFile(), error));
    }
    return {};
}

} // namespace rdt
