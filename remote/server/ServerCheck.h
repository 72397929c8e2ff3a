// The server check as one asynchronous operation over a connected SshClient: runs the
// probe script in one remote command and turns its output into the checklist. The GUI
// and rdtctl both use it; results arrive by signal, nothing blocks.
#pragma once

#include "CheckItem.h"
#include "CollectedCommand.h"
#include "ServerProbe.h"

#include <QObject>
#include <QPointer>

namespace rdt {

class SshClient;

class ServerCheck : public QObject {
    Q_OBJECT
public:
    explicit ServerCheck(SshClient *client, QObject *parent = nullptr);

    // remoteRoot: the folder holding datasets/, checkpoints/, configs/ ("~/" = remote home).
    void start(const QString &remoteRoot, const QString &modelFolder = {},
               const ServerProbeExpectations &expectations = {});
    void cancel();

    bool isRunning() const { return m_command; }
    const QList<CheckItem> &items() const { return m_items; }
    const Error &error() const { return m_error; }   // code None: items are valid

Q_SIGNALS:
    void finished();

private:
    void onFinished();

    SshClient *m_client;
    QPointer<CollectedCommand> m_command;
    ServerProbeExpectations m_expectations;
    QList<CheckItem> m_items;
    Error m_error;
};

} // namespace rdt
