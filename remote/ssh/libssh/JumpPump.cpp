// The pump loop: poll the jump session's socket, the local socket and a wake-up fd; move
// channel data to the local socket (buffering what it cannot take yet) and local data
// into the channel (only as much as the channel window allows, so a write never stalls
// the other direction for long). The session's socket is polled for reading only while
// there is room to read into: polling a readable socket that is then not read returns at
// once, for ever, a busy loop whenever the next hop reads slower than the network sends.
#include "JumpPump.h"

#include "LibsshError.h"
#include "SshKeepalive.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace rdt {
namespace {

using Clock = std::chrono::steady_clock;

// 256 KiB per call: several SSH packets' worth, so that a 1 GB transfer costs a few
// thousand rounds of poll, recv and send rather than tens of thousands (the socket pair's
// buffers are 4 MiB). The cap on bytes waiting for the local socket bounds memory when the
// next hop reads slowly (the channel window then fills and the server stops sending,
// which is the flow control we want).
constexpr size_t kChunkSize = 256 * 1024;
constexpr size_t kMaxPendingToLocal = 1024 * 1024;

// The forwarded channel's receive window, grown past libssh's 1.28 MB by asking for more
// than it (see SshWorker.cpp, kReceiveWindow: the same limit slowed downloads on both hops),
// once per kWindowGrowStep bytes received.
constexpr uint32_t kReceiveWindow = 4 * 1024 * 1024;
constexpr qint64 kWindowGrowStep = kReceiveWindow / 4;

} // namespace

JumpPump::JumpPump(QString hopName, SessionHandle session, ChannelHandle channel, int localFd,
                   Liveness liveness)
    : m_hopName(std::move(hopName)), m_session(std::move(session)), m_channel(std::move(channel)),
      m_localFd(localFd), m_liveness(liveness)
{
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

JumpPump::~JumpPump()
{
    if (m_thread.joinable()) {
        const uint64_t one = 1;
        [[maybe_unused]] ssize_t written = write(m_wakeFd, &one, sizeof one);
        m_thread.join();
    }
    m_channel.reset();
    m_session.reset();
    if (m_localFd >= 0)
        close(m_localFd);
    if (m_wakeFd >= 0)
        close(m_wakeFd);
}

void JumpPump::start()
{
    m_thread = std::thread([this] { run(); });
}

QString JumpPump::failure() const
{
    std::lock_guard<std::mutex> lock(m_failureMutex);
    return m_failure;
}

void JumpPump::fail(const QString &reason)
{
    {
        std::lock_guard<std::mutex> lock(m_failureMutex);
        if (m_failure.isEmpty())
            m_failure = reason;
    }
    // The next hop's session sees end-of-file at once instead of waiting for its timeout.
    shutdown(m_localFd, SHUT_RDWR);
}

void JumpPump::run()
{
    ssh_session session = m_session.get();
    ssh_channel channel = m_channel.get();
    const int sessionFd = ssh_get_fd(session);
    // Bytes from the channel waiting for the local socket: [toLocalSent, size) of toLocal.
    // An offset instead of removing the sent front avoids moving the rest on every send.
    QByteArray toLocal;
    qsizetype toLocalSent = 0;
    // Local bytes not yet taken by the channel: [toChannelSent, size) of toChannel. A short
    // write (a key exchange in progress) leaves them here; nothing is read from the local
    // socket until they are sent, so the inner stream never loses a byte.
    QByteArray toChannel;
    qsizetype toChannelSent = 0;
    qint64 received = 0;
    qint64 windowGrownAt = -kWindowGrowStep;
    Keepalive keepalive(session, m_liveness.intervalSeconds, m_liveness.countMax);
    bool localOpen = true;

    while (true) {
        // Local bytes are only taken while the channel window has room; with the window
        // spent we sleep on the session socket alone, which wakes on the window adjust.
        const bool takeLocal = localOpen && toChannelSent == toChannel.size() && ssh_channel_window_size(channel) > 0;
        const bool roomToLocal = toLocal.size() - toLocalSent < qsizetype(kMaxPendingToLocal);
        if (!roomToLocal)
            keepalive.noteActivity();   // the server's packets wait for us, not the other way round
        pollfd fds[3] = {
            {sessionFd, short(roomToLocal ? POLLIN : 0), 0},
            {m_localFd, short((takeLocal ? POLLIN : 0) | (toLocalSent < toLocal.size() ? POLLOUT : 0)), 0},
            {m_wakeFd, POLLIN, 0},
        };
        const int ready = poll(fds, 3, keepalive.pollTimeoutMs());
        if (ready < 0 && errno != EINTR) {
            fail(QStringLiteral("connection through jump host %1 failed: poll: %2")
                     .arg(m_hopName, QString::fromLocal8Bit(strerror(errno))));
            return;
        }
        if (fds[2].revents)
            return;

        // Channel -> local socket. ssh_channel_read_nonblocking also processes whatever
        // packets arrived for the session (keepalive replies, window adjusts).
        while (toLocal.size() - toLocalSent < qsizetype(kMaxPendingToLocal)) {
            const bool growWindow = received - windowGrownAt >= kWindowGrowStep && ssh_channel_is_open(channel)
                && !ssh_channel_is_eof(channel);
            if (growWindow)
                windowGrownAt = received;
            // Straight into the pending bytes (one copy fewer), and all that libssh holds at
            // once: after a partial read libssh moves the unread rest to the front of its
            // buffer when the next packet arrives.
            const qsizetype pending = toLocal.size();
            toLocal.resize(pending + qsizetype(kReceiveWindow));   // new bytes uninitialized
            // Timeout 0: libssh's "non-blocking"; nothing buffered returns 0.
            const int n = growWindow ? ssh_channel_read_timeout(channel, toLocal.data() + pending, kReceiveWindow, 0, 0)
                                     : ssh_channel_read_nonblocking(channel, toLocal.data() + pending, kReceiveWindow, 0);
            toLocal.resize(pending + qMax(n, 0));
            if (n == SSH_ERROR) {
                fail(QStringLiteral("connection to jump host %1 lost: %2").arg(m_hopName, libsshReason(session)));
                return;
            }
            if (n <= 0)
                break;
            received += n;
        }
        if (toLocalSent < toLocal.size()) {
            const ssize_t written = send(m_localFd, toLocal.constData() + toLocalSent, size_t(toLocal.size() - toLocalSent),
                                         MSG_DONTWAIT | MSG_NOSIGNAL);
            if (written > 0)
                toLocalSent += written;
            else if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                return;   // the next hop closed its end: the connection is being torn down
            if (toLocalSent == toLocal.size()) {
                toLocal.resize(0);   // keeps its capacity for the next bytes
                toLocalSent = 0;
            }
        }
        if (toLocal.isEmpty() && (ssh_channel_is_eof(channel) || ssh_channel_is_closed(channel))) {
            fail(QStringLiteral("jump host %1 closed the forwarded connection").arg(m_hopName));
            return;
        }

        // Local socket -> channel, no more than the window so the write returns promptly.
        if (takeLocal && (fds[1].revents & (POLLIN | POLLHUP))) {
            toChannel.resize(qsizetype(std::min<size_t>(kChunkSize, ssh_channel_window_size(channel))));
            const ssize_t n = recv(m_localFd, toChannel.data(), size_t(toChannel.size()), MSG_DONTWAIT);
            toChannel.resize(n > 0 ? qsizetype(n) : 0);
            toChannelSent = 0;
            if (n == 0) {
                localOpen = false;     // the next hop disconnected
                ssh_channel_send_eof(channel);
                return;
            }
        }
        if (toChannelSent < toChannel.size() && ssh_channel_window_size(channel) > 0) {
            const qsizetype size = std::min<qsizetype>(toChannel.size() - toChannelSent, ssh_channel_window_size(channel));
            const int written = ssh_channel_write(channel, toChannel.constData() + toChannelSent, uint32_t(size));
            if (written == SSH_ERROR) {
                fail(QStringLiteral("connection to jump host %1 lost: %2").arg(m_hopName, libsshReason(session)));
                return;
            }
            toChannelSent += written;
        }

        const Keepalive::State state = keepalive.tick();
        if (state == Keepalive::State::Dead) {
            fail(QStringLiteral("connection to jump host %1 lost: %2").arg(m_hopName, keepalive.silenceReport()));
            return;
        }
        if (!ssh_is_connected(session)) {
            fail(QStringLiteral("connection to jump host %1 lost: %2").arg(m_hopName, libsshReason(session)));
            return;
        }
    }
}

} // namespace rdt
