// The connection's life: Disconnected -> Connecting -> Connected -> (drop) Reconnecting ->
// Connected ... A client is never deleted inside one of its own signals, and never while
// its attempt may still be blocked on an unanswering host (that would block the caller's
// thread on the worker's): such a client deletes itself once its attempt ends.
#include "HostConnection.h"

#include "SshClient.h"

namespace rdt {

namespace {

// Failures another attempt cannot mend without the user: a key or a login refused.
bool isFinal(const Error &error)
{
    switch (error.code) {
    case ErrorCode::HostKeyUnknown:
    case ErrorCode::HostKeyChanged:
    case ErrorCode::AuthFailed:
    case ErrorCode::Cancelled:
    case ErrorCode::InvalidArgument:
    case ErrorCode::ConfigError:
        return true;
    default:
        return false;
    }
}

} // namespace

HostConnection::HostConnection(const SshRoute &route, SshQuestions questions, QObject *parent)
    : QObject(parent), m_route(route), m_questions(std::move(questions))
{
    m_status = tr("Not connected to %1").arg(name());
    m_retry.setSingleShot(true);
    m_retry.setInterval(kReconnectDelayMs);
    connect(&m_retry, &QTimer::timeout, this, &HostConnection::attempt);
}

HostConnection::~HostConnection()
{
    m_retry.stop();
    if (m_client) {
        SshClient *client = m_client;
        disconnect(client, nullptr, this, nullptr);
        if (!m_adopted)
            delete client;   // closes the connection and joins its thread
    }
}

QString HostConnection::keyOf(const SshRoute &route)
{
    QStringList hops;
    for (const SshHost &hop : route.hops())
        hops << QStringLiteral("%1@%2:%3").arg(hop.user, hop.hostName).arg(hop.port)
                    + (hop.proxyCommand.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(hop.proxyCommand));
    return hops.join(QStringLiteral(" > "));
}

SshClient *HostConnection::client() const
{
    return m_state == State::Connected ? m_client.data() : nullptr;
}

void HostConnection::open()
{
    switch (m_state) {
    case State::Connected:
    case State::Connecting:
        return;
    case State::Reconnecting:
        if (m_retry.isActive()) {   // not while an attempt is under way
            m_retry.stop();
            attempt();
        }
        return;
    case State::Disconnected:
        setState(State::Connecting, tr("Connecting to %1…").arg(name()));
        attempt();
        return;
    }
}

void HostConnection::adopt(SshClient *client)
{
    Q_ASSERT(client && client->isConnected());
    m_retry.stop();
    if (m_client)
        letGo(m_client);
    m_client = client;
    m_adopted = true;
    m_route = client->route();
    watch(client);
    setState(State::Connected, tr("Connected to %1").arg(name()));
    Q_EMIT connected(client);
}

void HostConnection::close()
{
    m_retry.stop();
    if (m_client)
        letGo(m_client);
    m_client = nullptr;
    if (m_state != State::Disconnected)
        setState(State::Disconnected, tr("Disconnected from %1").arg(name()));
}

void HostConnection::setState(State state, const QString &text)
{
    m_state = state;
    m_status = text;
    Q_EMIT stateChanged(state, text);
}

void HostConnection::attempt()
{
    auto *client = new SshClient(m_questions);
    m_client = client;
    m_adopted = false;
    connect(client, &SshClient::connectStep, this, &HostConnection::connectStep);
    connect(client, &SshClient::connected, this, [this, client] { onConnected(client); });
    connect(client, &SshClient::connectFailed, this, [this, client](const Error &error) { onAttemptFailed(client, error); });
    connect(client, &SshClient::connectionLost, this, [this, client](const Error &error) { onAttemptFailed(client, error); });
    if (m_state == State::Reconnecting)
        setState(State::Reconnecting, tr("Connection lost: %1; reconnecting… (runs keep going on the server)").arg(name()));
    client->connectToHost(m_route);
}

void HostConnection::watch(SshClient *client)
{
    disconnect(client, nullptr, this, nullptr);
    connect(client, &SshClient::connectionLost, this, [this, client](const Error &error) { onLost(client, error); });
    // An adopted client may be deleted by its owner: that is a drop too.
    connect(client, &QObject::destroyed, this, [this] {
        QMetaObject::invokeMethod(this, [this] {
            if (!m_client && m_state == State::Connected) {
                m_adopted = false;
                dropped(makeError(ErrorCode::ConnectionLost, tr("the connection was closed")));
            }
        }, Qt::QueuedConnection);
    });
}

void HostConnection::onConnected(SshClient *client)
{
    if (client != m_client)
        return;
    watch(client);
    if (m_state == State::Reconnecting) {
        ++m_reconnections;
        setState(State::Connected, tr("Connected to %1 again after a lost connection").arg(name()));
    } else {
        setState(State::Connected, tr("Connected to %1").arg(name()));
    }
    Q_EMIT connected(client);
}

void HostConnection::onAttemptFailed(SshClient *client, const Error &error)
{
    if (client != m_client)
        return;
    disconnect(client, nullptr, this, nullptr);
    client->deleteLater();   // its attempt is over: deleting it waits for nothing
    m_client = nullptr;
    if (m_state == State::Reconnecting && !isFinal(error)) {
        setState(State::Reconnecting, tr("Connection lost: %1; reconnecting failed (%2). Trying again in %3 s…")
                                          .arg(name(), error.message).arg(kReconnectDelayMs / 1000));
        m_retry.start();
        return;
    }
    setState(State::Disconnected, error.message);
    Q_EMIT connectFailed(error);
}

void HostConnection::onLost(SshClient *client, const Error &error)
{
    if (m_state != State::Connected || (m_client && client != m_client))
        return;
    m_client = nullptr;
    disconnect(client, nullptr, this, nullptr);
    const bool owned = !m_adopted;
    m_adopted = false;
    dropped(error);   // every view lets go of the client first (they hear it there) ...
    if (owned)
        client->deleteLater();   // ... then it goes, outside its own signal
}

void HostConnection::dropped(const Error &error)
{
    setState(State::Reconnecting, tr("Connection lost: %1 (%2); reconnecting… (runs keep going on the server)")
                                      .arg(name(), error.message));
    Q_EMIT lost(error);
    m_retry.start();
}

// Lets go of a client without waiting for it (see the file's opening comment).
void HostConnection::letGo(SshClient *client)
{
    disconnect(client, nullptr, this, nullptr);
    if (m_adopted) {
        m_adopted = false;
        return;
    }
    if (client->isConnected()) {
        client->disconnectFromHost();
        client->deleteLater();
    } else {
        connect(client, &SshClient::connected, client, &QObject::deleteLater);
        connect(client, &SshClient::connectFailed, client, &QObject::deleteLater);
        connect(client, &SshClient::connectionLost, client, &QObject::deleteLater);
    }
}

} // namespace rdt
