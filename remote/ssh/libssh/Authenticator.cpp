// The authentication sequence. Secrets come from SshQuestions, are handed to libssh and
// wiped from our buffers at once; nothing is written to disk. Each question says whether
// it is a local key's passphrase, a password or the server's own question.
#include "Authenticator.h"

#include "LibsshError.h"
#include "LibsshHandles.h"
#include "SshHost.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

#include <cstring>
#include <optional>

namespace rdt {
namespace {

struct PassphraseContext {
    const SshQuestions *questions = nullptr;
    QString host;
    QString keyPath;
    bool asked = false;
    bool declined = false;
};

// libssh's ssh_auth_callback: fills buf with the passphrase for an encrypted key.
int passphraseCallback(const char *, char *buf, size_t len, int, int, void *userdata)
{
    auto *context = static_cast<PassphraseContext *>(userdata);
    context->asked = true;
    if (!context->questions->secret) {
        context->declined = true;
        return -1;
    }
    std::optional<QByteArray> answer = context->questions->secret(
        SecretPrompt{SecretPrompt::Kind::KeyPassphrase, context->host,
                     QStringLiteral("Passphrase for your local key %1 (unlocks it on this computer; "
                                    "not sent to the server)").arg(context->keyPath),
                     false});
    if (!answer || static_cast<size_t>(answer->size()) >= len) {
        if (answer)
            answer->fill('\0');
        context->declined = true;
        return -1;
    }
    std::memcpy(buf, answer->constData(), answer->size());
    buf[answer->size()] = '\0';
    answer->fill('\0');
    return 0;
}

QStringList defaultIdentityFiles()
{
    // ssh's defaults (OpenSSH 9), in its order, that exist.
    QStringList files;
    for (const char *name : {"id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa"}) {
        const QString path = QDir::homePath() + QStringLiteral("/.ssh/") + QLatin1String(name);
        if (QFileInfo::exists(path))
            files.append(path);
    }
    return files;
}

QString methodNames(int methods)
{
    QStringList names;
    if (methods & SSH_AUTH_METHOD_PUBLICKEY) names << QStringLiteral("publickey");
    if (methods & SSH_AUTH_METHOD_INTERACTIVE) names << QStringLiteral("keyboard-interactive");
    if (methods & SSH_AUTH_METHOD_PASSWORD) names << QStringLiteral("password");
    if (methods & SSH_AUTH_METHOD_GSSAPI_MIC) names << QStringLiteral("gssapi-with-mic");
    return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "));
}

// The key blob of an OpenSSH public key or certificate file ("type base64 comment").
QByteArray keyBlob(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> fields = file.readLine().simplified().split(' ');
    return fields.size() >= 2 ? QByteArray::fromBase64(fields[1]) : QByteArray();
}

// Skips one SSH wire-format string at `offset`; false when the blob is too short.
bool skipString(const QByteArray &blob, qsizetype &offset)
{
    if (offset + 4 > blob.size())
        return false;
    const quint32 length = (quint32(quint8(blob[offset])) << 24) | (quint32(quint8(blob[offset + 1])) << 16)
        | (quint32(quint8(blob[offset + 2])) << 8) | quint32(quint8(blob[offset + 3]));
    offset += 4 + qsizetype(length);
    return offset <= blob.size();
}

// Whether a certificate certifies this public key: a certificate blob is its type, a nonce,
// then the public key's own fields (PROTOCOL.certkeys), which a key blob has after its type.
// libssh 0.10's ssh_key_cmp() calls a certificate and its key different.
bool certifies(const QByteArray &certificate, const QByteArray &publicKey)
{
    qsizetype certOffset = 0;
    qsizetype keyOffset = 0;
    if (!skipString(certificate, certOffset) || !skipString(certificate, certOffset) || !skipString(publicKey, keyOffset))
        return false;
    const QByteArray fields = publicKey.mid(keyOffset);
    return !fields.isEmpty() && certificate.mid(certOffset, fields.size()) == fields;
}

// The user certificate for an identity, as ssh finds it: a CertificateFile for the
// identity's key, else PATH-cert.pub beside it. Null when there is none.
KeyHandle certificateFor(const QString &path, const QStringList &certificateFiles)
{
    const QByteArray publicKey = keyBlob(path + QStringLiteral(".pub"));
    QStringList candidates = certificateFiles;
    candidates.append(path + QStringLiteral("-cert.pub"));
    for (const QString &candidate : candidates) {
        // Without the public half, only the file beside the key is taken as its certificate.
        const bool beside = candidate == path + QStringLiteral("-cert.pub");
        if (!(publicKey.isEmpty() ? beside : certifies(keyBlob(candidate), publicKey)))
            continue;
        ssh_key rawCertificate = nullptr;
        if (ssh_pki_import_cert_file(QFile::encodeName(candidate).constData(), &rawCertificate) == SSH_OK)
            return KeyHandle(rawCertificate);
    }
    return {};
}

// Tries one identity file: the public half (or its certificate) first, so that we only ask
// for a passphrase when the server would accept the key.
int tryIdentityFile(ssh_session session, const QString &path, const QStringList &certificateFiles,
                    const QString &hostName, const SshQuestions &questions, QStringList *attempts)
{
    const QByteArray pathBytes = QFile::encodeName(path);
    if (!QFileInfo::exists(path)) {
        attempts->append(QStringLiteral("%1 (file not found)").arg(path));
        return SSH_AUTH_DENIED;
    }
    KeyHandle certificate = certificateFor(path, certificateFiles);
    if (certificate) {
        const int offer = ssh_userauth_try_publickey(session, nullptr, certificate.get());
        if (offer == SSH_AUTH_ERROR)
            return SSH_AUTH_ERROR;
        if (offer != SSH_AUTH_SUCCESS) {
            attempts->append(QStringLiteral("%1 with its certificate (refused by the server)").arg(path));
            return SSH_AUTH_DENIED;
        }
    }
    ssh_key rawPublic = nullptr;
    if (!certificate
        && ssh_pki_import_pubkey_file(QFile::encodeName(path + QStringLiteral(".pub")).constData(), &rawPublic)
        == SSH_OK) {
        KeyHandle publicKey(rawPublic);
        const int offer = ssh_userauth_try_publickey(session, nullptr, publicKey.get());
        if (offer == SSH_AUTH_ERROR)
            return SSH_AUTH_ERROR;
        if (offer != SSH_AUTH_SUCCESS) {
            attempts->append(QStringLiteral("%1 (refused by the server)").arg(path));
            return SSH_AUTH_DENIED;
        }
    }
    PassphraseContext context{&questions, hostName, path};
    ssh_key rawPrivate = nullptr;
    if (ssh_pki_import_privkey_file(pathBytes.constData(), nullptr, passphraseCallback, &context, &rawPrivate)
        != SSH_OK) {
        attempts->append(context.declined ? QStringLiteral("%1 (no passphrase given)").arg(path)
                         : context.asked  ? QStringLiteral("%1 (wrong passphrase)").arg(path)
                                          : QStringLiteral("%1 (not a readable private key)").arg(path));
        return SSH_AUTH_DENIED;
    }
    KeyHandle privateKey(rawPrivate);
    if (certificate && ssh_pki_copy_cert_to_privkey(certificate.get(), privateKey.get()) != SSH_OK) {
        attempts->append(QStringLiteral("%1 (its certificate does not belong to it)").arg(path));
        return SSH_AUTH_DENIED;
    }
    const int rc = ssh_userauth_publickey(session, nullptr, privateKey.get());
    if (rc == SSH_AUTH_DENIED)
        attempts->append(QStringLiteral("%1 (refused by the server)").arg(path));
    else if (rc == SSH_AUTH_PARTIAL)
        attempts->append(QStringLiteral("%1 (accepted; the server asks for another method too)").arg(path));
    return rc;
}

// A server may ask again after each answer (PAM conversations, one-time codes); a server
// that never stops asking is refused after this many rounds.
constexpr int kMaxChallengeRounds = 8;
// Methods a server may chain before access (OpenSSH's AuthenticationMethods lists a few).
constexpr int kMaxPartialSuccesses = 4;

int tryKeyboardInteractive(ssh_session session, const QString &hostName, const SshQuestions &questions,
                           QStringList *attempts)
{
    int rc = ssh_userauth_kbdint(session, nullptr, nullptr);
    for (int round = 1; rc == SSH_AUTH_INFO; ++round) {
        if (round > kMaxChallengeRounds) {
            attempts->append(QStringLiteral("keyboard-interactive (still asking after %1 rounds of questions)")
                                 .arg(kMaxChallengeRounds));
            return SSH_AUTH_DENIED;
        }
        // The server's name and instruction for this round, shown with each of its prompts.
        const QString name = QString::fromUtf8(ssh_userauth_kbdint_getname(session)).simplified();
        const QString instruction = QString::fromUtf8(ssh_userauth_kbdint_getinstruction(session)).simplified();
        QString context = QStringList{name, instruction}.join(QLatin1Char(' ')).trimmed();
        if (!context.isEmpty())
            context = QStringLiteral(" (%1)").arg(context.left(200));
        const int prompts = ssh_userauth_kbdint_getnprompts(session);
        for (int i = 0; i < prompts; ++i) {
            char echo = 0;
            const QString serverPrompt = QString::fromUtf8(ssh_userauth_kbdint_getprompt(session, i, &echo)).trimmed();
            const QString prompt = QStringLiteral("The server %1 asks%2: %3 (your answer is sent to the server)")
                                       .arg(hostName, context, serverPrompt.left(200));
            std::optional<QByteArray> answer = questions.secret
                ? questions.secret(SecretPrompt{SecretPrompt::Kind::ServerQuestion, hostName, prompt, echo != 0})
                : std::nullopt;
            if (!answer) {
                attempts->append(QStringLiteral("keyboard-interactive (no answer given)"));
                return SSH_AUTH_DENIED;
            }
            ssh_userauth_kbdint_setanswer(session, i, answer->constData());
            answer->fill('\0');
        }
        rc = ssh_userauth_kbdint(session, nullptr, nullptr);
    }
    if (rc == SSH_AUTH_DENIED)
        attempts->append(QStringLiteral("keyboard-interactive (refused)"));
    return rc;
}

int tryPassword(ssh_session session, const QString &hostName, const QString &user,
                const SshQuestions &questions, QStringList *attempts)
{
    std::optional<QByteArray> password = questions.secret
        ? questions.secret(SecretPrompt{SecretPrompt::Kind::Password, hostName,
                                        QStringLiteral("Password for %1 on the server %2 (sent to the server)")
                                            .arg(user, hostName),
                                        false})
        : std::nullopt;
    if (!password) {
        attempts->append(QStringLiteral("password (none given)"));
        return SSH_AUTH_DENIED;
    }
    const int rc = ssh_userauth_password(session, nullptr, password->constData());
    password->fill('\0');
    if (rc == SSH_AUTH_DENIED)
        attempts->append(QStringLiteral("password (refused)"));
    return rc;
}

} // namespace

Result<void> authenticate(ssh_session session, const SshHost &host, const QString &user,
                          const SshQuestions &questions)
{
    const QString hostName = host.displayName();
    int rc = ssh_userauth_none(session, nullptr);
    if (rc == SSH_AUTH_SUCCESS)
        return {};
    if (rc == SSH_AUTH_ERROR)
        return libsshError(session, QStringLiteral("authentication"), hostName, ErrorCode::AuthFailed);

    int methods = ssh_userauth_list(session, nullptr);
    QStringList attempts;

    // IdentityAgent none: no agent; a path: libssh was given it; else $SSH_AUTH_SOCK.
    const bool agent = host.identityAgent != QLatin1String("none")
        && ((!host.identityAgent.isEmpty() && host.identityAgent != QLatin1String("SSH_AUTH_SOCK"))
            || qEnvironmentVariableIsSet("SSH_AUTH_SOCK"));
    auto publicKey = [&]() -> std::optional<Result<void>> {
        // With IdentitiesOnly the agent would offer keys the user did not choose, and a
        // server stops after MaxAuthTries (6) refusals: skip it, as ssh does.
        if (agent && !(host.identitiesOnly && !host.identityFiles.isEmpty())) {
            rc = ssh_userauth_agent(session, nullptr);
            if (rc == SSH_AUTH_SUCCESS)
                return Result<void>();
            if (rc == SSH_AUTH_ERROR)
                return Result<void>(libsshError(session, QStringLiteral("authentication with the agent"), hostName,
                                                ErrorCode::AuthFailed));
            if (rc == SSH_AUTH_PARTIAL) {
                attempts.append(QStringLiteral("ssh-agent (accepted; the server asks for another method too)"));
                return std::nullopt;
            }
            attempts.append(QStringLiteral("ssh-agent (no key accepted)"));
        }
        const QStringList files = host.identityFiles.isEmpty() ? defaultIdentityFiles() : host.identityFiles;
        for (const QString &file : files) {
            rc = tryIdentityFile(session, file, host.certificateFiles, hostName, questions, &attempts);
            if (rc == SSH_AUTH_SUCCESS)
                return Result<void>();
            if (rc == SSH_AUTH_ERROR)
                return Result<void>(libsshError(session, QStringLiteral("authentication with %1").arg(file), hostName,
                                                ErrorCode::AuthFailed));
            if (rc == SSH_AUTH_PARTIAL)
                return std::nullopt;
        }
        return std::nullopt;
    };

    // PreferredAuthentications orders the methods; PubkeyAuthentication,
    // KbdInteractiveAuthentication and PasswordAuthentication no leave one out.
    QStringList order = host.preferredAuthentications;
    if (order.isEmpty())
        order = {QStringLiteral("publickey"), QStringLiteral("keyboard-interactive"), QStringLiteral("password")};
    // A partial success (sshd's AuthenticationMethods publickey,password) means the server
    // wants one more method, and may offer methods it did not offer before: the list is
    // read again and the order starts over, a bounded number of times.
    for (int pass = 0; pass < kMaxPartialSuccesses; ++pass) {
        rc = SSH_AUTH_DENIED;
        for (const QString &method : order) {
            if (method == QLatin1String("publickey") && (methods & SSH_AUTH_METHOD_PUBLICKEY) && host.pubkeyAuthentication) {
                if (std::optional<Result<void>> done = publicKey())
                    return *done;
            } else if (method == QLatin1String("keyboard-interactive") && (methods & SSH_AUTH_METHOD_INTERACTIVE)
                       && host.kbdInteractiveAuthentication && questions.secret) {
                rc = tryKeyboardInteractive(session, hostName, questions, &attempts);
                if (rc == SSH_AUTH_SUCCESS)
                    return {};
            } else if (method == QLatin1String("password") && (methods & SSH_AUTH_METHOD_PASSWORD)
                       && host.passwordAuthentication && questions.secret) {
                rc = tryPassword(session, hostName, user, questions, &attempts);
                if (rc == SSH_AUTH_SUCCESS)
                    return {};
            }
            if (rc == SSH_AUTH_ERROR)
                return libsshError(session, QStringLiteral("authentication (%1)").arg(method), hostName,
                                   ErrorCode::AuthFailed);
            if (rc == SSH_AUTH_PARTIAL)
                break;
        }
        if (rc != SSH_AUTH_PARTIAL)
            break;
        methods = ssh_userauth_list(session, nullptr);
    }
    if (attempts.isEmpty())
        attempts.append(QStringLiteral("no usable method (no agent, no identity file)"));
    return makeError(ErrorCode::AuthFailed,
        QStringLiteral("authentication to %1 as %2 failed: tried %3; the server accepts: %4")
            .arg(hostName, user, attempts.join(QStringLiteral(", ")), methodNames(methods)));
}

} // namespace rdt
