// rdtctl's command line: the ssh-like global options, then a command and its arguments.
#pragma once

#include "Result.h"

#include <QStringList>

namespace rdt {

struct CliOptions {
    QString sshConfigFile;            // -F
    QStringList jumps;                // -J a,b (may be given more than once)
    QStringList identityFiles;        // -i
    QString knownHostsFile;           // --known-hosts
    bool acceptNewHostKeys = false;   // --accept-new-host-keys
    int connectTimeoutSeconds = 0;    // --connect-timeout (0: from ssh_config or default)
    bool verbose = false;             // -v: connection steps on stderr
    QString command;                  // exec, check, ...
    QStringList arguments;            // everything after the command
};

[[nodiscard]] Result<CliOptions> parseCliOptions(const QStringList &arguments);
QString cliUsage();

} // namespace rdt
