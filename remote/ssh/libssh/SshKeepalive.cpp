// Keepalive probes. ssh_send_keepalive is declared in libssh's server.h although clients
// may send it too; libssh keeps at most one global request outstanding, so the probe is
// sent in non-blocking mode: one call collects the previous answer, the next sends anew.
#include "SshKeepalive.h"

#include <libssh/server.h>

#include <algorithm>

namespace rdt {

Keepalive::Keepalive(ssh_session session, int intervalSeconds, int countMax)
    : m_session(session), m_intervalSeconds(intervalSeconds), m_countMax(std::max(1, countMax)),
      m_lastActivity(Clock::now()), m_lastProbe(m_lastActivity)
{
}

void Keepalive::noteActivity()
{
    m_lastActivity = Clock::now();
}

Keepalive::State Keepalive::tick()
{
    if (m_intervalSeconds <= 0)
        return State::Alive;
    const auto now = Clock::now();
    const auto interval = std::chrono::seconds(m_intervalSeconds);
    if (now - m_lastActivity >= interval * m_countMax)
        return State::Dead;
    if (now - m_lastActivity >= interval && now - m_lastProbe >= interval) {
        const int wasBlocking = ssh_is_blocking(m_session);
        ssh_set_blocking(m_session, 0);
        ssh_send_keepalive(m_session);
        ssh_send_keepalive(m_session);
        ssh_set_blocking(m_session, wasBlocking);
        m_lastProbe = now;
    }
    return State::Alive;
}

int Keepalive::pollTimeoutMs() const
{
    // A second is fine-grained enough for intervals measured in seconds, and short enough
    // that a stop request or a new deadline is noticed promptly.
    return 1000;
}

} // namespace rdt
