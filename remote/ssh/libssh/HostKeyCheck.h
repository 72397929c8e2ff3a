// Verifies a connected session's host key against OpenSSH known_hosts (hashed entries
// too) before anything else is sent to that host.
#pragma once

#include "Result.h"
#include "SshQuestions.h"

#include <libssh/libssh.h>

namespace rdt {

struct SshHost;

// ok: the key is known, or unknown and accepted (and recorded when the answer says so).
// HostKeyUnknown: unknown and not accepted. HostKeyChanged: a different key is on record;
// the message names the host and both fingerprints and how to remove the old entry.
Result<void> verifyHostKey(ssh_session session, const SshHost &host, const QString &knownHostsFile,
                           const SshQuestions &questions);

// The SHA256 fingerprint of the session's server key, "SHA256:<base64>".
QString serverKeyFingerprint(ssh_session session);

} // namespace rdt
