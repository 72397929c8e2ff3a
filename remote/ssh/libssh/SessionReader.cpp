// SessionReader: an ssh_event holding the session's socket. ssh_event_dopoll with a zero
// timeout runs libssh's own socket callback, which reads and dispatches every complete
// packet; libssh's blocking calls keep working meanwhile (they poll the context the
// socket is in, whichever it is).
#include "SessionReader.h"

namespace rdt {

SessionReader::SessionReader(ssh_session session) : m_session(session)
{
    m_event = ssh_event_new();
    if (m_event && ssh_event_add_session(m_event, m_session) != SSH_OK) {
        ssh_event_free(m_event);
        m_event = nullptr;
    }
}

SessionReader::~SessionReader()
{
    if (!m_event)
        return;
    // Gives the socket back to the session's own context before the event goes.
    ssh_event_remove_session(m_event, m_session);
    ssh_event_free(m_event);
}

bool SessionReader::readPending()
{
    if (m_event && ssh_is_connected(m_session))
        ssh_event_dopoll(m_event, 0);
    return ssh_is_connected(m_session) != 0;
}

} // namespace rdt
