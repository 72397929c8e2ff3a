// Where the user asked to go: a destination or ProxyJump element as typed
// (`[user@]host[:port]`, `ssh://[user@]host[:port]`, `[v6addr]:port`), before ssh_config.
#pragma once

#include "Result.h"

#include <QString>

namespace rdt {

// Fields given here (on the command line or in a ProxyJump element) win over the file.
struct SshDestination {
    QString host;   // as typed, used to match Host patterns
    QString user;   // empty: from the file, else the local user
    int port = 0;   // 0: from the file, else 22

    // An InvalidArgument error names the spec and what is wrong; `where` (a config file and
    // line, or empty for the command line) goes in front of it.
    [[nodiscard]] static Result<SshDestination> parse(const QString &spec, const QString &where);
};

} // namespace rdt
