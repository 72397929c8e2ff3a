// One HostConnection per server key, kept for the application's life (a closed one is
// opened again rather than made anew, so views that hold it keep following it).
#include "ConnectionOwner.h"

namespace rdt {

ConnectionOwner::ConnectionOwner(QObject *parent) : QObject(parent) {}

ConnectionOwner::~ConnectionOwner()
{
    m_current = nullptr;
    qDeleteAll(m_connections);   // before QObject's own cleanup, while the questions still exist
    m_connections.clear();
}

HostConnection *ConnectionOwner::connection(const SshRoute &route)
{
    const QString key = HostConnection::keyOf(route);
    HostConnection *&slot = m_connections[key];
    if (!slot)
        slot = new HostConnection(route, m_questions, this);
    return slot;
}

HostConnection *ConnectionOwner::open(const SshRoute &route)
{
    HostConnection *host = connection(route);
    setCurrent(host);
    host->open();
    return host;
}

void ConnectionOwner::setCurrent(HostConnection *connection)
{
    if (m_current == connection)
        return;
    if (m_current)
        disconnect(m_current, &HostConnection::stateChanged, this, &ConnectionOwner::currentStateChanged);
    m_current = connection;
    connect(connection, &HostConnection::stateChanged, this, &ConnectionOwner::currentStateChanged);
    Q_EMIT currentChanged(connection);
    Q_EMIT currentStateChanged(connection->state(), connection->statusText());
}

} // namespace rdt
