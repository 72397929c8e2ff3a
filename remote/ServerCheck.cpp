// Runs ServerProbeScript on the server and parses what it printed.
#include "ServerCheck.h"

#include "RemoteProcess.h"
#include "ServerProbeScript.h"
#include "SshClient.h"

namespace rdt {
namespace {

// The probe bounds each of its sub-commands to 30 s; the whole script gets some slack
// on top of the slowest plausible few.
constexpr int kProbeTimeoutMs = 120 * 1000;

} // namespace

ServerCheck::ServerCheck(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

void ServerCheck::start(const QString &remoteRoot, const QString &modelFolder,
                        const ServerProbeExpectations &expectations)
{
    cancel();
    m_output.clear();
    m_errorOutput.clear();
    m_items.clear();
    m_error = {};
    m_expectations = expectations;
    CommandSpec spec;
    spec.argv = ServerProbeScript::command(remoteRoot, modelFolder);
    spec.timeoutMs = kProbeTimeoutMs;
    m_process = m_client->start(spec);
    connect(m_process, &RemoteProcess::standardOutput, this, [this](const QByteArray &data) { m_output += data; });
    connect(m_process, &RemoteProcess::standardError, this, [this](const QByteArray &data) { m_errorOutput += data; });
    connect(m_process, &RemoteProcess::finished, this, &ServerCheck::onFinished);
}

void ServerCheck::cancel()
{
    if (m_process) {
        disconnect(m_process, nullptr, this, nullptr);
        m_process->cancel();
        m_process = nullptr;
    }
}

void ServerCheck::onFinished()
{
    RemoteProcess *process = m_process;
    m_process = nullptr;
    const Error processError = process->error();
    process->deleteLater();
    if (processError.code != ErrorCode::None) {
        m_error = makeError(processError.code, QStringLiteral("server check: %1").arg(processError.message));
        Q_EMIT finished();
        return;
    }
    Result<QList<CheckItem>> parsed = ServerProbe::parse(m_output, m_expectations);
    if (!parsed) {
        QString message = QStringLiteral("server check: %1").arg(parsed.error().message);
        const QString stderrText = QString::fromUtf8(m_errorOutput).trimmed();
        if (!stderrText.isEmpty())
            message += QStringLiteral(" (the server said: %1)").arg(stderrText.left(300));
        m_error = makeError(parsed.error().code, message);
    } else {
        m_items = parsed.value();
    }
    Q_EMIT finished();
}

} // namespace rdt
