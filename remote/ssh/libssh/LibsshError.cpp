// Translates libssh's session error text and status flags into an Error.
#include "LibsshError.h"

namespace rdt {

QString libsshReason(ssh_session session)
{
    const QString reason = QString::fromUtf8(ssh_get_error(session));
    if (reason.contains(QLatin1String("keepalive@openssh.com")))
        return ssh_is_connected(session) ? QStringLiteral("unknown libssh error (the last one recorded was a keepalive's answer)")
                                         : QStringLiteral("the connection closed");
    return reason.isEmpty() ? QStringLiteral("unknown libssh error") : reason;
}

Error libsshError(ssh_session session, const QString &operation, const QString &host,
                  ErrorCode fallback)
{
    const QString reason = libsshReason(session);
    ErrorCode code = fallback;
    const int status = ssh_get_status(session);
    if ((status & (SSH_CLOSED | SSH_CLOSED_ERROR)) || !ssh_is_connected(session)) {
        if (fallback == ErrorCode::Protocol)
            code = ErrorCode::ConnectionLost;
    }
    if (reason.contains(QLatin1String("Timeout"), Qt::CaseInsensitive)
        && fallback == ErrorCode::Protocol)
        code = ErrorCode::Timeout;
    return makeError(code, QStringLiteral("%1 on %2: %3").arg(operation, host, reason));
}

} // namespace rdt
