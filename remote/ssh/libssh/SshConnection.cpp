// Connecting a route hop by hop: reach the first host over TCP, verify its key,
// authenticate, open a direct-tcpip channel to the next hop, hand that channel to a
// JumpPump and connect the next session over a socket pair; repeat up to the target.
#include "SshConnection.h"

#include "Authenticator.h"
#include "HostKeyCheck.h"
#include "JumpPump.h"
#include "KnownHosts.h"
#include "LibsshError.h"
#include "ProxyCommandProcess.h"

#include <QDir>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rdt {
namespace {

// aes128-gcm first: with AES-NI it is the cheapest AEAD cipher, and every hop of a jump
// chain encrypts each byte again (bench/transfer_throughput measures the choice).
constexpr char kCipherPreference[] =
    "aes128-gcm@openssh.com,chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes256-ctr";

// Socket-pair buffers between a jump pump and the next hop's session.
constexpr int kForwardBufferBytes = 4 * 1024 * 1024;

QString localUserName()
{
    if (const passwd *entry = getpwuid(getuid()))
        return QString::fromLocal8Bit(entry->pw_name);
    return qEnvironmentVariable("USER");
}

// The peer's address of a TCP session, for CheckHostIP; empty for a socket pair.
QString peerAddress(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0
        || (address.ss_family != AF_INET && address.ss_family != AF_INET6))
        return {};
    char text[NI_MAXHOST];
    if (getnameinfo(reinterpret_cast<sockaddr *>(&address), length, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0)
        return {};
    return QString::fromLatin1(text);
}

QString roleName(const SshHost &host, bool isTarget)
{
    return (isTarget ? QStringLiteral("host %1") : QStringLiteral("jump host %1")).arg(host.displayName());
}

// Kernel-level liveness for the TCP hop: probes after idle time, and a bound on how long
// sent data may stay unacknowledged, so a pulled cable ends in an error, not a hang.
void enableTcpKeepalive(int fd, const SshHost &host)
{
    const int interval = host.serverAliveIntervalSeconds > 0 ? host.serverAliveIntervalSeconds : 15;
    const int count = std::max(1, host.serverAliveCountMax);
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &interval, sizeof interval);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
    const unsigned int userTimeoutMs = unsigned(interval * count) * 1000u;
    setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &userTimeoutMs, sizeof userTimeoutMs);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

Result<SessionHandle> newSession(const SshHost &host, const KnownHosts &knownHosts, int fd)
{
    SessionHandle session(ssh_new());
    if (!session)
        return makeError(ErrorCode::Protocol, QStringLiteral("libssh could not allocate a session"));
    const QByteArray hostName = host.hostName.toUtf8();
    const QByteArray user = (host.user.isEmpty() ? localUserName() : host.user).toUtf8();
    const QByteArray knownHostsFile = QFile::encodeName(knownHosts.primaryFile());
    const QByteArray hostKeys = knownHosts.preferredHostKeyAlgorithms().toLatin1();
    const unsigned int port = unsigned(host.port);
    const long timeout = host.connectTimeoutSeconds > 0 ? host.connectTimeoutSeconds : 15;
    // libssh would otherwise read ~/.ssh/config on connect and could run a ProxyCommand
    // behind our back; our route already holds everything the config says.
    const bool processConfig = false;
    // OpenSSH's "+list", "-list" and "^list" edit its own defaults, which are not ours:
    // only a plain list replaces our preference.
    const bool plainList = !host.ciphers.isEmpty() && !QStringLiteral("+-^").contains(host.ciphers.front());
    const QByteArray ciphers = plainList ? host.ciphers.toLatin1() : QByteArray(kCipherPreference);
    ssh_session s = session.get();
    if (ssh_options_set(s, SSH_OPTIONS_HOST, hostName.constData()) != SSH_OK
        || ssh_options_set(s, SSH_OPTIONS_PORT, &port) != SSH_OK
        || ssh_options_set(s, SSH_OPTIONS_USER, user.constData()) != SSH_OK
        || ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, knownHostsFile.constData()) != SSH_OK
        || ssh_options_set(s, SSH_OPTIONS_HOSTKEYS, hostKeys.constData()) != SSH_OK
        || ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &processConfig) != SSH_OK
        || ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout) != SSH_OK
        || ssh_options_set(s, SSH_OPTIONS_CIPHERS_C_S, ciphers.constData()) != SSH_OK
        || ssh_options_set(s, SSH_OPTIONS_CIPHERS_S_C, ciphers.constData()) != SSH_OK) {
        return libsshError(s, QStringLiteral("setting connection options"), host.displayName(),
                           ErrorCode::InvalidArgument);
    }
    // IdentityAgent: a socket path for libssh's agent client; "none" is handled by the
    // authenticator, SSH_AUTH_SOCK is libssh's own default.
    if (!host.identityAgent.isEmpty() && host.identityAgent != QLatin1String("none")
        && host.identityAgent != QLatin1String("SSH_AUTH_SOCK")) {
        const QByteArray agent = QFile::encodeName(host.identityAgent);
        if (ssh_options_set(s, SSH_OPTIONS_IDENTITY_AGENT, agent.constData()) != SSH_OK)
            return libsshError(s, QStringLiteral("setting IdentityAgent"), host.displayName(), ErrorCode::InvalidArgument);
    }
    if (fd >= 0) {
        socket_t socketFd = fd;
        if (ssh_options_set(s, SSH_OPTIONS_FD, &socketFd) != SSH_OK)
            return libsshError(s, QStringLiteral("setting the forwarded socket"), host.displayName());
    }
    return session;
}

} // namespace

SshConnection::SshConnection(SshRoute route, std::unique_ptr<ProxyCommandProcess> proxy,
                             std::vector<std::unique_ptr<JumpPump>> pumps, SessionHandle session)
    : m_route(std::move(route)), m_proxy(std::move(proxy)), m_pumps(std::move(pumps)), m_session(std::move(session)),
      m_keepalive(m_session.get(), m_route.target.serverAliveIntervalSeconds, m_route.target.serverAliveCountMax)
{
}

SshConnection::~SshConnection()
{
    m_keepalive.release();   // its counters go before the session that writes into them
    m_session.reset();
    // Innermost hop first: each pump's session travels through the pumps before it.
    while (!m_pumps.empty())
        m_pumps.pop_back();
    m_proxy.reset();
}

Error SshConnection::lostError(const QString &operation) const
{
    for (const auto &pump : m_pumps) {
        const QString failure = pump->failure();
        if (!failure.isEmpty())
            return makeError(ErrorCode::ConnectionLost, QStringLiteral("%1: %2").arg(operation, failure));
    }
    Error error = libsshError(m_session.get(), operation, roleName(m_route.target, true));
    if (error.code == ErrorCode::Protocol && !ssh_is_connected(m_session.get()))
        error.code = ErrorCode::ConnectionLost;
    return error;
}

Result<std::unique_ptr<SshConnection>> SshConnection::open(const SshRoute &route, const SshQuestions &questions,
                                                           const ConnectStepCallback &onStep)
{
    const QList<SshHost> hops = route.hops();
    std::vector<std::unique_ptr<JumpPump>> pumps;
    std::unique_ptr<ProxyCommandProcess> proxy;
    int forwardedFd = -1;   // our session's end of the socket pair to the previous pump

    auto report = [&](int hop, ConnectStep::Kind kind) {
        if (onStep)
            onStep(ConnectStep{hop, int(hops.size()), hops[hop].displayName(), kind});
    };
    // While connecting hop i through pumps, a failure of an earlier hop explains it best.
    auto earlierHopFailure = [&]() -> QString {
        for (const auto &pump : pumps)
            if (!pump->failure().isEmpty())
                return pump->failure();
        return {};
    };

    for (int i = 0; i < hops.size(); ++i) {
        const SshHost &host = hops[i];
        const bool isTarget = i == hops.size() - 1;
        const QString role = roleName(host, isTarget);
        report(i, ConnectStep::Reaching);
        // The first hop may be reached through its ProxyCommand instead of TCP; later hops
        // come through the jump before them (ssh -J overrides their ProxyCommand too).
        if (i == 0 && !host.proxyCommand.isEmpty()) {
            Result<std::unique_ptr<ProxyCommandProcess>> started = ProxyCommandProcess::start(host.proxyCommand, host.displayName());
            if (!started)
                return started.error();
            proxy = std::move(started).value();
            forwardedFd = proxy->takeSessionFd();
        }

        const KnownHosts knownHosts(host);
        Result<SessionHandle> created = newSession(host, knownHosts, forwardedFd);
        if (!created) {
            if (forwardedFd >= 0)
                close(forwardedFd);
            return created.error();
        }
        SessionHandle session = std::move(created).value();
        const bool overTcp = forwardedFd < 0;
        forwardedFd = -1;   // the session owns it now and closes it on disconnect

        int connected = ssh_connect(session.get());
        // ConnectionAttempts: ssh tries the TCP connection that many times, a second apart.
        for (int attempt = 1; connected != SSH_OK && overTcp && attempt < host.connectionAttempts; ++attempt) {
            sleep(1);
            Result<SessionHandle> again = newSession(host, knownHosts, -1);
            if (!again)
                return again.error();
            session = std::move(again).value();
            connected = ssh_connect(session.get());
        }
        if (connected != SSH_OK) {
            const QString earlier = earlierHopFailure();
            if (!earlier.isEmpty())
                return makeError(ErrorCode::ConnectionLost, QStringLiteral("cannot reach %1: %2").arg(role, earlier));
            if (proxy) {
                return makeError(ErrorCode::HostUnreachable,
                    QStringLiteral("cannot reach %1 through its ProxyCommand: %2 (%3)")
                        .arg(hops[0].displayName(), proxy->describeFailure(),
                             QString::fromUtf8(ssh_get_error(session.get()))));
            }
            return makeError(ErrorCode::HostUnreachable,
                QStringLiteral("cannot reach %1 (%2 port %3)%4: %5")
                    .arg(role, host.hostName).arg(host.port)
                    .arg(i > 0 ? QStringLiteral(" through %1").arg(hops[i - 1].displayName()) : QString())
                    .arg(QString::fromUtf8(ssh_get_error(session.get()))));
        }
        if (i == 0 && !proxy)
            enableTcpKeepalive(ssh_get_fd(session.get()), host);
        report(i, ConnectStep::Reached);

        // CheckHostIP: the address too, where there is one (not through a proxy or a jump).
        const QString address = host.checkHostIp && overTcp ? peerAddress(ssh_get_fd(session.get())) : QString();
        if (Result<void> verified = verifyHostKey(session.get(), host, knownHosts, address, questions); !verified)
            return verified.error();
        report(i, ConnectStep::HostKeyAccepted);

        const QString user = host.user.isEmpty() ? localUserName() : host.user;
        if (Result<void> authenticated = authenticate(session.get(), host, user, questions); !authenticated)
            return authenticated.error();
        report(i, ConnectStep::Authenticated);

        if (isTarget)
            return std::unique_ptr<SshConnection>(
                new SshConnection(route, std::move(proxy), std::move(pumps), std::move(session)));

        // Forward to the next hop through this jump host.
        const SshHost &next = hops[i + 1];
        ChannelHandle channel(ssh_channel_new(session.get()));
        if (!channel)
            return libsshError(session.get(), QStringLiteral("opening a channel"), role);
        const QByteArray nextHost = next.hostName.toUtf8();
        if (ssh_channel_open_forward(channel.get(), nextHost.constData(), next.port, "127.0.0.1", 0) != SSH_OK) {
            return makeError(ErrorCode::HostUnreachable,
                QStringLiteral("%1 could not connect to %2 (%3 port %4): %5")
                    .arg(role, roleName(next, i + 1 == hops.size() - 1), next.hostName).arg(next.port)
                    .arg(QString::fromUtf8(ssh_get_error(session.get()))));
        }
        int pair[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
            return makeError(ErrorCode::LocalIo, QStringLiteral("cannot create a socket pair for %1").arg(role));
        // Large buffers let the next hop's session and the pump work in bigger strides
        // instead of waking each other every few packets.
        for (int fd : pair) {
            const int bytes = kForwardBufferBytes;
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
        }
        auto pump = std::make_unique<JumpPump>(host.displayName(), std::move(session), std::move(channel), pair[1],
                                               JumpPump::Liveness{host.serverAliveIntervalSeconds,
                                                                  host.serverAliveCountMax});
        pump->start();
        pumps.push_back(std::move(pump));
        forwardedFd = pair[0];
    }
    Q_UNREACHABLE();
}

} // namespace rdt
