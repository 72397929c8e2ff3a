// ServerAliveInterval / ServerAliveCountMax for one libssh session: after `interval`
// seconds without a packet from the server, ask it for an answer (keepalive@openssh.com
// with want-reply, which OpenSSH must answer); after interval x countMax seconds without
// any packet the connection is dead. Packets are counted by libssh itself
// (ssh_set_counters), wherever it reads them: in a channel read, inside a blocking write
// waiting for window space, or while sending the probe.
#pragma once

#include <libssh/libssh.h>

#include <QString>

#include <chrono>

namespace rdt {

class Keepalive {
public:
    enum class State { Alive, Dead };

    // libssh writes into the counters it is given: the session must outlive this object,
    // or be released from it (release()) before it is freed.
    Keepalive(ssh_session session, int intervalSeconds, int countMax);
    ~Keepalive();   // release()
    void release();   // takes the counters back from the session; no more ticks after it

    Keepalive(const Keepalive &) = delete;
    Keepalive &operator=(const Keepalive &) = delete;

    // The silence is ours, not the server's: its packets wait unread because the reader
    // is not ready for them (a full buffer downstream). Counts as activity.
    void noteActivity();
    State tick();                // sends a probe when due; Dead when silent too long
    int pollTimeoutMs() const;   // how long the owner may sleep before the next tick()
    int deadAfterSeconds() const { return m_intervalSeconds * m_countMax; }
    // What was seen, for the message that declares the link dead: "no packet for 47 s
    // (3 keepalives unanswered; 1289 packets received before)".
    QString silenceReport() const;

private:
    using Clock = std::chrono::steady_clock;

    ssh_session m_session;
    int m_intervalSeconds;
    int m_countMax;
    ssh_counter_struct m_counters {};   // libssh adds every packet in and out
    uint64_t m_packetsSeen = 0;         // m_counters.in_packets at the last tick
    int m_probesUnanswered = 0;
    Clock::time_point m_lastActivity;
    Clock::time_point m_lastProbe;
};

} // namespace rdt
