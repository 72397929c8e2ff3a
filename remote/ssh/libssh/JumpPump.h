// Carries one hop of a jump chain: the bytes of a direct-tcpip channel opened on a jump
// host's session, to and from a local socket that the next hop's session uses as its
// connection. The pump's thread owns the jump session from start() on (libssh sessions
// are not thread-safe), sends its keepalives, and declares it dead when it stays silent.
#pragma once

#include "LibsshHandles.h"

#include <QString>

#include <atomic>
#include <mutex>
#include <thread>

namespace rdt {

class JumpPump {
public:
    struct Liveness {
        int intervalSeconds = 15;  // keepalive after this much silence; 0: never
        int countMax = 3;          // silent intervals before the hop is dead
    };

    // Takes the connected, authenticated jump session and the channel opened on it.
    // `localFd` is our end of the socket pair; the other end belongs to the next session.
    JumpPump(QString hopName, SessionHandle session, ChannelHandle channel, int localFd, Liveness liveness);
    ~JumpPump();   // stops the thread, then closes channel, session and socket, in that order

    JumpPump(const JumpPump &) = delete;
    JumpPump &operator=(const JumpPump &) = delete;

    void start();
    // Empty while the hop is healthy; otherwise why it stopped ("connection to jump host
    // jump01 lost: no answer to keepalives for 45 s").
    QString failure() const;
    const QString &hopName() const { return m_hopName; }

private:
    void run();
    void fail(const QString &reason);

    const QString m_hopName;
    SessionHandle m_session;
    ChannelHandle m_channel;
    int m_localFd = -1;
    int m_wakeFd = -1;          // eventfd: the destructor's "stop now"
    const Liveness m_liveness;
    std::thread m_thread;
    mutable std::mutex m_failureMutex;
    QString m_failure;
};

} // namespace rdt
