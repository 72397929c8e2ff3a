// Gathers a command's output for the classes that parse it at its end.
#include "CollectedCommand.h"

#include "RemoteProcess.h"
#include "SshClient.h"

namespace rdt {

CollectedCommand::CollectedCommand(SshClient *client, const CommandSpec &spec, const QString &what, QObject *parent)
    : QObject(parent), m_what(what)
{
    m_process = client->start(spec);
    connect(m_process, &RemoteProcess::standardOutput, this, [this](const QByteArray &data) { m_output += data; });
    connect(m_process, &RemoteProcess::standardError, this, [this](const QByteArray &data) { m_errorOutput += data; });
    connect(m_process, &RemoteProcess::finished, this, &CollectedCommand::onFinished);
}

Error CollectedCommand::withServerSaid(const Error &error) const
{
    Error explained = error;
    const QString said = QString::fromUtf8(m_errorOutput).trimmed();
    if (!said.isEmpty())
        explained.message += QStringLiteral(" (the server said: %1)").arg(said.left(300));
    return explained;
}

void CollectedCommand::abandon()
{
    if (m_process) {
        disconnect(m_process, nullptr, this, nullptr);
        m_process->cancel();
        m_process->deleteLater();
    }
    deleteLater();
}

void CollectedCommand::onFinished()
{
    RemoteProcess *process = m_process;
    m_process = nullptr;
    if (process->error().code != ErrorCode::None)
        m_error = makeError(process->error().code, QStringLiteral("%1: %2").arg(m_what, process->error().message));
    process->deleteLater();
    Q_EMIT finished();
}

} // namespace rdt
