// Connecting from the command line: resolve HOST through ssh_config and the global
// options, answer the connection's questions (host keys from --accept-new-host-keys,
// passphrases and passwords from the terminal), and wait for the result.
#pragma once

#include "CliOptions.h"
#include "SshClient.h"

#include <memory>

namespace rdt {

[[nodiscard]] Result<SshRoute> resolveCliRoute(const CliOptions &options, const QString &hostSpec);

// Connects and runs the event loop until connected or failed.
[[nodiscard]] Result<std::unique_ptr<SshClient>> connectFromCli(const CliOptions &options, const QString &hostSpec);

// Starts `spec` and runs the event loop until it finishes; output goes to the callbacks.
struct CliRunResult {
    int exitStatus = -1;
    Error error;
};
CliRunResult runToCompletion(SshClient &client, const CommandSpec &spec,
                             const std::function<void(const QByteArray &)> &onStdout,
                             const std::function<void(const QByteArray &)> &onStderr);

} // namespace rdt
