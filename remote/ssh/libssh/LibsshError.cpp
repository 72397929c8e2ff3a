// Translates libssh's session error text and status flags into an Error.
#include "LibsshError.h"

namespace rdt {

Error libsshError(ssh_session session, const QString &operation, const QString &host,
                  ErrorCode fallback)
{
    QString reason = QString::fromUtf8(ssh_get_error(session));
    if (reason.isEmpty())
        reason = QStringLiteral("unknown libssh error");
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
