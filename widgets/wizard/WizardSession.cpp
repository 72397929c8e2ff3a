// The wizard's shared state and its one connection.
#include "WizardSession.h"

#include "ConnectionOwner.h"
#include "SshClient.h"

namespace rdt {

WizardSession::WizardSession(QObject *parent) : QObject(parent) {}

WizardSession::~WizardSession()
{
    // Closes the connection and joins its thread, or, while the connection waits for an
    // answer from this (the GUI) thread, tells it to stop and lets it end unwaited for.
    delete m_client;
}

SshClient *WizardSession::client() const
{
    return m_host ? m_host->client() : m_client;
}

bool WizardSession::isConnected() const
{
    SshClient *current = client();
    return current && current->isConnected();
}

void WizardSession::connectTo(const SshRoute &route)
{
    retire();
    if (m_connections) {
        followHost(m_connections->open(route));
        return;
    }
    m_client = new SshClient(m_questions);
    connect(m_client, &SshClient::connectStep, this, [this](const ConnectStep &step) {
        Q_EMIT connectStep(step.describe(), step.hop, step.hopCount);
    });
    connect(m_client, &SshClient::connected, this, &WizardSession::connected);
    connect(m_client, &SshClient::connectFailed, this, [this](const Error &error) {
        dropEndedClient();
        Q_EMIT connectFailed(error);
    });
    connect(m_client, &SshClient::connectionLost, this, [this](const Error &error) {
        dropEndedClient();
        Q_EMIT connectionLost(error);
    });
    m_client->connectToHost(route);
}

void WizardSession::disconnectFromHost()
{
    retire();
}

void WizardSession::followHost(HostConnection *host)
{
    m_host = host;
    connect(host, &HostConnection::connectStep, this, [this](const ConnectStep &step) {
        Q_EMIT connectStep(step.describe(), step.hop, step.hopCount);
    });
    connect(host, &HostConnection::connected, this, &WizardSession::connected);
    // A drop is not the wizard's to report (no "Connection lost" box): the connection comes
    // back by itself. Only an attempt that fails for good is.
    connect(host, &HostConnection::connectFailed, this, &WizardSession::connectFailed);
    if (host->state() == HostConnection::State::Connected)   // shared, already up
        QMetaObject::invokeMethod(this, [this, host] {
            if (m_host == host && host->client())
                Q_EMIT connected();
        }, Qt::QueuedConnection);
}

// Lets go of the client without waiting: an attempt may be stuck on an unanswering host for
// its whole timeout, and the GUI must not wait for that. A client still connecting deletes
// itself once its attempt ends.
void WizardSession::retire()
{
    if (m_host) {
        HostConnection *host = m_host;
        m_host = nullptr;
        disconnect(host, nullptr, this, nullptr);
        // An attempt the wizard started and gives up on stops; a live connection stays up
        // for the views that share it.
        if (host->state() == HostConnection::State::Connecting)
            host->close();
    }
    if (!m_client)
        return;
    SshClient *client = m_client;
    m_client = nullptr;
    disconnect(client, nullptr, this, nullptr);
    if (client->isConnected()) {
        client->disconnectFromHost();
        client->deleteLater();
    } else {
        connect(client, &SshClient::connected, client, &QObject::deleteLater);
        connect(client, &SshClient::connectFailed, client, &QObject::deleteLater);
        connect(client, &SshClient::connectionLost, client, &QObject::deleteLater);
    }
}

// The attempt or the connection is over: nothing more will come from the client.
void WizardSession::dropEndedClient()
{
    if (!m_client)
        return;
    disconnect(m_client, nullptr, this, nullptr);
    m_client->deleteLater();
    m_client = nullptr;
}

LocalCopies WizardSession::copies() const
{
    LocalCopies copies;
    copies.localDataset = profile.localDatasetPath;
    copies.localModel = profile.localModelPath;
    copies.remoteDataset = remoteDataset;
    copies.remoteModel = remoteModel;
    return copies.resolved(profile.remoteRoot);
}

QList<GpuInfo> WizardSession::gpus() const
{
    for (const CheckItem &item : checkItems)
        if (item.id == CheckId::Gpus)
            return item.gpus;
    return {};
}

} // namespace rdt
