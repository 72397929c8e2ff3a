// Reads what a server sends while no channel is being read: keepalive answers, window
// adjusts, global requests, the end of the connection. libssh reads its socket only inside
// its own calls, so without this an idle session's socket stays readable for ever and a
// level-triggered notifier on it spins the connection thread at 100% of a core.
#pragma once

#include <libssh/libssh.h>

namespace rdt {

class SessionReader {
public:
    // `session` must outlive this object (the owner destroys the reader first).
    explicit SessionReader(ssh_session session);
    ~SessionReader();

    SessionReader(const SessionReader &) = delete;
    SessionReader &operator=(const SessionReader &) = delete;

    // Processes every packet waiting on the socket, without blocking; false once the
    // session is no longer connected (the server closed it, or it failed).
    bool readPending();

private:
    ssh_session m_session;
    ssh_event m_event = nullptr;
};

} // namespace rdt
