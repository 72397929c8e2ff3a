// The one place where libssh's error state becomes our Error (STYLE.md §3).
#pragma once

#include "Result.h"

#include <libssh/libssh.h>

namespace rdt {

// "<operation> on <host>: <libssh's reason>", with the code chosen from the session state:
// a closed or broken socket is ConnectionLost, anything else `fallback`.
Error libsshError(ssh_session session, const QString &operation, const QString &host,
                  ErrorCode fallback = ErrorCode::Protocol);

// libssh's last error text for the session, except the keepalive's own: OpenSSH answers
// our keepalive@openssh.com probe with a refusal, which libssh records as "Global request
// keepalive@openssh.com failed" and would otherwise be reported as why a link broke.
QString libsshReason(ssh_session session);

} // namespace rdt
