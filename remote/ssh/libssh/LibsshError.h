// The one place where libssh's error state becomes our Error (STYLE.md §3).
#pragma once

#include "Result.h"

#include <libssh/libssh.h>

namespace rdt {

// "<operation> on <host>: <libssh's reason>", with the code chosen from the session state:
// a closed or broken socket is ConnectionLost, anything else `fallback`.
Error libsshError(ssh_session session, const QString &operation, const QString &host,
                  ErrorCode fallback = ErrorCode::Protocol);

} // namespace rdt
