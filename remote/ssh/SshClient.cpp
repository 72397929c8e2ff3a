// Thread plumbing for SshClient: the worker is created here, moved to its own thread,
// reached with queued invocations and heard from through signals connected with this
// object as context (so nothing reaches a destroyed receiver).
#include "SshClient.h"

#include "QuestionGate.h"
#include "RemoteProcess.h"
#include "SshWorker.h"

#include <QThread>

namespace rdt {

SshClient::SshClient(SshQuestions questions, QObject *parent)
    : QObject(parent), m_gate(std::make_shared<QuestionGate>()), m_thread(new QThread),
      m_worker(new SshWorker(QuestionGate::guard(m_gate, std::move(questions))))
{
    qRegisterMetaType<rdt::Error>();
    qRegisterMetaType<rdt::ConnectStep>();
    qRegisterMetaType<rdt::ChannelStats>();
    m_thread->setObjectName(QStringLiteral("ssh"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    connect(m_worker, &SshWorker::connectStep, this, &SshClient::connectStep);
    connect(m_worker, &SshWorker::connected, this, [this] {
        m_connected = true;
        Q_EMIT connected();
    });
    connect(m_worker, &SshWorker::connectFailed, this, [this](const Error &error) {
        m_connected = false;
        Q_EMIT connectFailed(error);
    });
    connect(m_worker, &SshWorker::connectionLost, this, [this](const Error &error) {
        m_connected = false;
        Q_EMIT connectionLost(error);
    });
    connect(m_worker, &SshWorker::commandOutput, this, &SshClient::routeOutput);
    connect(m_worker, &SshWorker::commandProgress, this, [this](quint64 id, qint64 sent, qint64 received) {
        if (RemoteProcess *process = m_processes.value(id))
            Q_EMIT process->progress(sent, received);
    });
    connect(m_worker, &SshWorker::commandFinished, this, &SshClient::routeFinished);
    connect(m_worker, &SshWorker::channelsChanged, this, [this](const ChannelStats &stats) { m_channelStats = stats; });
    m_thread->start();
}

SshClient::~SshClient()
{
    if (m_gate->closeAndCheckAsking()) {
        // The connection thread waits in a question for this thread: waiting for it here
        // would never end. It closes the connection once the question is declined (or its
        // dialog goes with the window), then its thread quits and deletes itself.
        QThread *thread = m_thread;
        connect(thread, &QThread::finished, thread, &QObject::deleteLater);
        QMetaObject::invokeMethod(m_worker, [worker = m_worker] {
            worker->closeConnection();
            QThread::currentThread()->quit();
        }, Qt::QueuedConnection);
        return;
    }
    // No question can start any more (the gate declines it), so the worker never waits for
    // this thread: close in the worker's thread (libssh handles belong to it), then stop the
    // thread; the worker is deleted there by the finished() connection above.
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->closeConnection(); },
                              Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void SshClient::connectToHost(const SshRoute &route)
{
    m_route = route;
    m_thread->setObjectName(QStringLiteral("ssh %1").arg(route.target.displayName()));
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, route] { worker->openConnection(route); },
                              Qt::QueuedConnection);
}

void SshClient::disconnectFromHost()
{
    m_connected = false;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->closeConnection(); }, Qt::QueuedConnection);
}

RemoteProcess *SshClient::start(const CommandSpec &spec)
{
    const quint64 id = m_nextId++;
    auto *process = new RemoteProcess(this, id);
    m_processes.insert(id, process);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, id, spec] { worker->startCommand(id, spec); },
                              Qt::QueuedConnection);
    return process;
}

void SshClient::cancel(quint64 processId)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, processId] { worker->cancelCommand(processId); },
                              Qt::QueuedConnection);
}

void SshClient::routeOutput(quint64 id, const QByteArray &data, bool isStderr)
{
    if (RemoteProcess *process = m_processes.value(id))
        process->deliverOutput(data, isStderr);
}

void SshClient::routeFinished(quint64 id, int exitStatus, const Error &error)
{
    QPointer<RemoteProcess> process = m_processes.take(id);
    if (process)
        process->deliverFinished(exitStatus, error);
}

} // namespace rdt
