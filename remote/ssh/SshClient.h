// The connection to one server as the GUI and rdtctl use it. All libssh work happens in
// the client's own thread ("ssh <host>"); calls here return at once and results arrive
// as signals in the caller's thread, so nothing here ever blocks the GUI.
#pragma once

#include "ChannelStats.h"
#include "CommandSpec.h"
#include "ConnectStep.h"
#include "Result.h"
#include "SshHost.h"
#include "SshQuestions.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <memory>

class QThread;

namespace rdt {

class QuestionGate;
class RemoteProcess;
class SshWorker;

class SshClient : public QObject {
    Q_OBJECT
public:
    // `questions` are called on the connection's thread; they must be thread-safe (the
    // GUI's implementation blocks on a queued call into the GUI thread).
    explicit SshClient(SshQuestions questions = {}, QObject *parent = nullptr);
    // Closes the connection, then quits and joins the thread; except while the connection
    // waits for an answer to a question (which the GUI thread, this one, would have to
    // give): then the thread is told to stop and ends on its own, unwaited for.
    ~SshClient() override;

    void connectToHost(const SshRoute &route);
    void disconnectFromHost();
    bool isConnected() const { return m_connected; }
    const SshRoute &route() const { return m_route; }

    // Starts a command on the connected host; the process is owned by this client and
    // may be deleted by the caller once finished.
    RemoteProcess *start(const CommandSpec &spec);
    void cancel(quint64 processId);

    // The connection's channel budget as last reported by its thread.
    ChannelStats channelStats() const { return m_channelStats; }

Q_SIGNALS:
    void connectStep(const rdt::ConnectStep &step);
    void connected();
    void connectFailed(const rdt::Error &error);
    void connectionLost(const rdt::Error &error);

private:
    void routeOutput(quint64 id, const QByteArray &data, bool isStderr);
    void routeFinished(quint64 id, int exitStatus, const Error &error);

    std::shared_ptr<QuestionGate> m_gate;
    QThread *m_thread;
    SshWorker *m_worker;
    ChannelStats m_channelStats;
    SshRoute m_route;
    bool m_connected = false;
    quint64 m_nextId = 1;
    QHash<quint64, QPointer<RemoteProcess>> m_processes;
};

} // namespace rdt
