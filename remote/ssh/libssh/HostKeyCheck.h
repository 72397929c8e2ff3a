// Verifies a connected session's host key against OpenSSH's known_hosts files (KnownHosts)
// before anything else is sent to that host, with StrictHostKeyChecking deciding what an
// unknown key means.
#pragma once

#include "Result.h"
#include "SshQuestions.h"

#include <libssh/libssh.h>

namespace rdt {

class KnownHosts;
struct SshHost;

// ok: the key is known, or unknown and accepted (and recorded when the answer says so).
// An unknown key is refused without asking under StrictHostKeyChecking yes, accepted and
// recorded without asking under accept-new and no, and asked about under ask.
// HostKeyUnknown: unknown and not accepted. HostKeyChanged: a different key is on record
// (for the name, or for the address with CheckHostIP), or the key is @revoked, which no
// answer overrides; the message names the host, the fingerprints and the files.
// `address`: the peer's address for CheckHostIP, empty when not checked.
Result<void> verifyHostKey(ssh_session session, const SshHost &host, const KnownHosts &knownHosts,
                           const QString &address, const SshQuestions &questions);

// The SHA256 fingerprint of the session's server key, "SHA256:<base64>".
QString serverKeyFingerprint(ssh_session session);

} // namespace rdt
