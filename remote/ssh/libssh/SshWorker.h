// The object that lives in a connection's own thread and does all libssh work for it:
// connecting, running commands on channels multiplexed over one session, keepalives.
// Reached only through queued calls from SshClient; talks back only through signals.
#pragma once

#include "ChannelBudget.h"
#include "ChannelStats.h"
#include "CommandSpec.h"
#include "Result.h"
#include "SshConnection.h"

#include <QElapsedTimer>
#include <QObject>

#include <map>
#include <memory>

class QSocketNotifier;
class QTimer;

namespace rdt {

class SessionReader;

class SshWorker : public QObject {
    Q_OBJECT
public:
    explicit SshWorker(SshQuestions questions);
    ~SshWorker() override;

    void openConnection(const SshRoute &route);
    void closeConnection();
    void startCommand(quint64 id, const CommandSpec &spec);
    void cancelCommand(quint64 id);

Q_SIGNALS:
    void connectStep(const rdt::ConnectStep &step);
    void connected();
    void connectFailed(const rdt::Error &error);
    void connectionLost(const rdt::Error &error);
    void commandOutput(quint64 id, const QByteArray &data, bool isStderr);
    // Bytes sent to standard input and received on standard output so far; at most ten
    // times a second per command, and once more just before commandFinished.
    void commandProgress(quint64 id, qint64 sent, qint64 received);
    // exitStatus is valid when error.code is ErrorCode::None.
    void commandFinished(quint64 id, int exitStatus, const rdt::Error &error);
    // Whenever a channel opens or closes or a command starts waiting for one.
    void channelsChanged(const rdt::ChannelStats &stats);

private:
    struct ActiveCommand {
        ChannelHandle channel;
        QString what;               // argv[0], for messages
        QElapsedTimer started;
        int timeoutMs = 0;
        std::shared_ptr<CommandInput> input;
        std::shared_ptr<CommandOutput> output;
        bool longLived = false;
        // Standard input read (or given) but not yet taken by the channel: a short write
        // (the window, a key exchange) leaves the rest here for the next pass.
        QByteArray pendingInput;
        qsizetype pendingSent = 0;
        bool inputStalled = false;   // the last write was short: wait for the server
        bool inputDone = false;
        qint64 sent = 0;
        qint64 received = 0;
        qint64 reportedSent = 0;
        qint64 reportedReceived = 0;
        qint64 windowGrownAt = -(qint64(1) << 40);   // `received` when the window was last grown
        QElapsedTimer sinceProgress;
    };

    enum class OpenResult { Opened, Failed, Refused };

    void openWaiting();         // opens channels for waiting commands while the budget allows
    void scheduleOpenWaiting(int delayMs = 0);
    OpenResult openChannel(quint64 id, const CommandSpec &spec);
    void reportChannels();
    void service();
    bool drain(quint64 id, ActiveCommand &command);   // true when more data may be waiting
    bool feedInput(quint64 id, ActiveCommand &command, int &budget);
    void reportProgress(quint64 id, ActiveCommand &command, bool force);
    void finish(quint64 id, int exitStatus, const Error &error);
    void failAll(const Error &error);
    void keepaliveTick();
    void dropConnection();   // the reader, notifier, timer and connection, in that order

    SshQuestions m_questions;
    std::unique_ptr<SshConnection> m_connection;
    std::unique_ptr<SessionReader> m_reader;   // of m_connection's session: reset before it
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer *m_keepaliveTimer = nullptr;
    std::map<quint64, ActiveCommand> m_commands;
    std::map<quint64, CommandSpec> m_waiting;   // started, no channel yet: see m_budget
    std::map<quint64, int> m_refusals;          // of a waiting command, with none of ours open
    ChannelBudget m_budget;
    bool m_openScheduled = false;    // an openWaiting() pass queued
    bool m_retryScheduled = false;   // an openWaiting() pass on a timer, after a refusal
    bool m_serviceScheduled = false;
    QByteArray m_buffer;   // reads and writes of every channel, one pass at a time
};

} // namespace rdt
