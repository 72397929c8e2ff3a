// Keepalive probes. ssh_send_keepalive is declared in libssh's server.h although clients
// may send it too; libssh keeps at most one global request outstanding, so the probe is
// sent in non-blocking mode: one call collects the previous answer, the next sends anew.
// OpenSSH answers keepalive@openssh.com with REQUEST_FAILURE (it knows no such request):
// any answer is a packet, and a packet is all liveness needs.
#include "SshKeepalive.h"

#include <libssh/server.h>

#include <algorithm>

namespace rdt {

Keepalive::Keepalive(ssh_session session, int intervalSeconds, int countMax)
    : m_session(session), m_intervalSeconds(intervalSeconds), m_countMax(std::max(1, countMax)),
      m_lastActivity(Clock::now()), m_lastProbe(m_lastActivity)
{
    ssh_set_counters(m_session, nullptr, &m_counters);
}

Keepalive::~Keepalive()
{
    release();
}

void Keepalive::release()
{
    if (m_session)
        ssh_set_counters(m_session, nullptr, nullptr);
    m_session = nullptr;
}

void Keepalive::noteActivity()
{
    m_lastActivity = Clock::now();
    m_probesUnanswered = 0;
}

Keepalive::State Keepalive::tick()
{
    if (m_counters.in_packets != m_packetsSeen) {
        m_packetsSeen = m_counters.in_packets;
        noteActivity();
    }
    if (m_intervalSeconds <= 0 || !m_session)
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
        ++m_probesUnanswered;
    }
    return State::Alive;
}

int Keepalive::pollTimeoutMs() const
{
    // A second is fine-grained enough for intervals measured in seconds, and short enough
    // that a stop request or a new deadline is noticed promptly.
    return 1000;
}

QString Keepalive::silenceReport() const
{
    const double silentSeconds = std::chrono::duration<double>(Clock::now() - m_lastActivity).count();
    return QStringLiteral("no packet for %1 s (%2 keepalives every %3 s unanswered; %4 packets received before)")
        .arg(silentSeconds, 0, 'f', 1)
        .arg(m_probesUnanswered)
        .arg(m_intervalSeconds)
        .arg(qulonglong(m_packetsSeen));
}

} // namespace rdt
