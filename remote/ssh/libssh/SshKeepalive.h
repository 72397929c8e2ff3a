// ServerAliveInterval / ServerAliveCountMax for one libssh session: after `interval`
// seconds without a byte from the server, ask it for an answer (keepalive@openssh.com
// with want-reply, which OpenSSH must answer); after interval x countMax seconds of
// silence the connection is dead. The owner reports inbound activity and calls tick().
#pragma once

#include <libssh/libssh.h>

#include <chrono>

namespace rdt {

class Keepalive {
public:
    enum class State { Alive, Dead };

    Keepalive(ssh_session session, int intervalSeconds, int countMax);

    void noteActivity();         // a byte arrived from the server
    State tick();                // sends a probe when due; Dead when silent too long
    int pollTimeoutMs() const;   // how long the owner may sleep before the next tick()
    int deadAfterSeconds() const { return m_intervalSeconds * m_countMax; }

private:
    using Clock = std::chrono::steady_clock;

    ssh_session m_session;
    int m_intervalSeconds;
    int m_countMax;
    Clock::time_point m_lastActivity;
    Clock::time_point m_lastProbe;
};

} // namespace rdt
