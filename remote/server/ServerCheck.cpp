// Runs ServerProbeScript on the server and parses what it printed.
#include "ServerCheck.h"

#include "CollectedCommand.h"
#include "ServerProbeScript.h"
#include "SshClient.h"

#include <utility>

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
    m_items.clear();
    m_error = {};
    m_expectations = expectations;
    CommandSpec spec;
    spec.argv = ServerProbeScript::command(remoteRoot, modelFolder);
    spec.timeoutMs = kProbeTimeoutMs;
    m_command = new CollectedCommand(m_client, spec, QStringLiteral("server check"), this);
    connect(m_command, &CollectedCommand::finished, this, &ServerCheck::onFinished);
}

void ServerCheck::cancel()
{
    if (m_command)
        std::exchange(m_command, nullptr)->abandon();
}

void ServerCheck::onFinished()
{
    CollectedCommand *command = m_command;
    m_command = nullptr;
    command->deleteLater();
    if (command->error().code != ErrorCode::None) {
        m_error = command->error();
        Q_EMIT finished();
        return;
    }
    Result<QList<CheckItem>> parsed = ServerProbe::parse(command->output(), m_expectations);
    if (!parsed) {
        m_error = command->withServerSaid(
            makeError(parsed.error().code, QStringLiteral("server check: %1").arg(parsed.error().message)));
    } else {
        m_items = parsed.value();
    }
    Q_EMIT finished();
}

} // namespace rdt
