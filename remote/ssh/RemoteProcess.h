// One command running on the server, as seen from the thread that started it: output
// arrives in chunks as it is produced, then finished() once. Made by SshClient::start().
#pragma once

#include "Result.h"

#include <QObject>

namespace rdt {

class SshClient;

class RemoteProcess : public QObject {
    Q_OBJECT
public:
    quint64 id() const { return m_id; }
    bool isRunning() const { return m_running; }
    int exitStatus() const { return m_exitStatus; }
    const Error &error() const { return m_error; }   // code None: ran to its end

    void cancel();

Q_SIGNALS:
    void standardOutput(const QByteArray &data);
    void standardError(const QByteArray &data);
    // Only for commands with CommandSpec::input or ::output: bytes sent and received so far.
    void progress(qint64 sent, qint64 received);
    void finished();

private:
    friend class SshClient;
    RemoteProcess(SshClient *client, quint64 id);
    void deliverOutput(const QByteArray &data, bool isStderr);
    void deliverFinished(int exitStatus, const Error &error);

    SshClient *m_client;
    quint64 m_id;
    bool m_running = true;
    int m_exitStatus = -1;
    Error m_error;
};

} // namespace rdt
