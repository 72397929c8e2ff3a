// Authenticates a session whose host key was already accepted, in ssh's order:
// none, then the agent, then identity files (passphrases through SshQuestions), then
// keyboard-interactive and password, each only when the server offers it.
#pragma once

#include "Result.h"
#include "SshQuestions.h"

#include <libssh/libssh.h>

namespace rdt {

struct SshHost;

// On failure the message names the host and user, every method tried and why each did
// not work, and the methods the server accepts.
Result<void> authenticate(ssh_session session, const SshHost &host, const QString &user,
                          const SshQuestions &questions);

} // namespace rdt
