// RemoteProcess forwards the worker's per-command signals, which SshClient routes by id.
#include "RemoteProcess.h"

#include "SshClient.h"

namespace rdt {

RemoteProcess::RemoteProcess(SshClient *client, quint64 id) : QObject(client), m_client(client), m_id(id) {}

void RemoteProcess::cancel()
{
    if (m_running)
        m_client->cancel(m_id);
}

void RemoteProcess::deliverOutput(const QByteArray &data, bool isStderr)
{
    if (isStderr)
        Q_EMIT standardError(data);
    else
        Q_EMIT standardOutput(data);
}

void RemoteProcess::deliverFinished(int exitStatus, const Error &error)
{
    m_running = false;
    m_exitStatus = exitStatus;
    m_error = error;
    Q_EMIT finished();
}

} // namespace rdt
