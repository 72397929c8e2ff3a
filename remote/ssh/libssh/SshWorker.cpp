// Channel multiplexing on one session without blocking the thread's event loop: a socket
// notifier on the session's fd wakes service(), which first lets libssh read the socket
// (the notifier is level-triggered: a socket nobody reads would wake it for ever, which an
// idle connection with a keepalive answer waiting did, at 100% of a core), then drains
// every channel with non-blocking reads (libssh may have buffered data for channel B while
// reading A, so all channels are drained on every wake-up, and again while any had data left).
// Channels are opened within a ChannelBudget: a command past it waits until one closes.
#include "SshWorker.h"

#include "LibsshError.h"
#include "SessionReader.h"

#include <QSocketNotifier>
#include <QTimer>

#include <vector>

namespace rdt {
namespace {

// Per channel and per pass: keeps one busy channel (100 MB of output) from starving the
// others and the event loop; the pass is rescheduled at once when data remains.
constexpr int kMaxBytesPerPass = 4 * 1024 * 1024;
constexpr int kReadChunk = 256 * 1024;

// A server that refuses a channel while none of ours is open: tries, and the pause between.
// Its sessions may belong to cancelled commands whose processes outlive the hang-up (OpenSSH
// delivers no signal without privilege separation): half a minute lets those end.
constexpr int kMaxRefusalsWithNoneOpen = 30;
constexpr int kRefusalRetryMs = 1000;
// A refusal below what the server allowed before: the pause before trying again.
constexpr int kLingeringRetryMs = 250;

// libssh 0.10 keeps a channel's receive window at 1.28 MB (WINDOWBASE in channels.c) and
// tops it up only once it falls below half. Through a jump host on a busy machine the
// round trip includes several processes' scheduling delays, and that window, not the
// ciphers, set the download rate. A read that asks for more than the buffered bytes plus
// the window makes libssh grow the window to the request (ssh_channel_read_timeout), so
// a streamed download asks for kReceiveWindow once per kWindowGrowStep bytes received
// (not on every read: each growth is a packet of its own).
constexpr int kReceiveWindow = 4 * 1024 * 1024;
constexpr qint64 kWindowGrowStep = kReceiveWindow / 4;

int readGrowingWindow(ssh_channel channel, char *buffer)
{
    // Timeout 0: libssh's "non-blocking"; nothing buffered returns 0.
    return ssh_channel_read_timeout(channel, buffer, uint32_t(kReceiveWindow), 0, 0);
}

} // namespace

SshWorker::SshWorker(SshQuestions questions)
    : m_questions(std::move(questions)), m_buffer(kReceiveWindow, Qt::Uninitialized)
{
    qRegisterMetaType<rdt::Error>();
    qRegisterMetaType<rdt::ConnectStep>();
    qRegisterMetaType<rdt::ChannelStats>();
}

SshWorker::~SshWorker()
{
    closeConnection();
}

void SshWorker::openConnection(const SshRoute &route)
{
    closeConnection();
    Result<std::unique_ptr<SshConnection>> opened =
        SshConnection::open(route, m_questions, [this](const ConnectStep &step) { Q_EMIT connectStep(step); });
    if (!opened) {
        Q_EMIT connectFailed(opened.error());
        return;
    }
    m_connection = std::move(opened).value();
    m_budget = ChannelBudget();
    m_reader = std::make_unique<SessionReader>(m_connection->session());
    m_notifier = std::make_unique<QSocketNotifier>(ssh_get_fd(m_connection->session()), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &SshWorker::service);
    m_keepaliveTimer = new QTimer(this);
    m_keepaliveTimer->setInterval(m_connection->keepalive().pollTimeoutMs());
    connect(m_keepaliveTimer, &QTimer::timeout, this, &SshWorker::keepaliveTick);
    m_keepaliveTimer->start();
    Q_EMIT connected();
}

void SshWorker::closeConnection()
{
    if (!m_connection)
        return;
    failAll(makeError(ErrorCode::Cancelled, QStringLiteral("disconnected from %1").arg(m_connection->targetName())));
    dropConnection();
}

void SshWorker::dropConnection()
{
    m_reader.reset();
    delete m_keepaliveTimer;
    m_keepaliveTimer = nullptr;
    m_notifier.reset();
    m_connection.reset();
}

void SshWorker::startCommand(quint64 id, const CommandSpec &spec)
{
    const QString what = spec.argv.isEmpty() ? QStringLiteral("(empty command)") : QString::fromUtf8(spec.argv.first());
    if (!m_connection) {
        Q_EMIT commandFinished(id, -1, makeError(ErrorCode::ConnectionLost,
                                                 QStringLiteral("cannot run %1: not connected").arg(what)));
        return;
    }
    if (spec.argv.isEmpty()) {
        Q_EMIT commandFinished(id, -1, makeError(ErrorCode::InvalidArgument, QStringLiteral("empty command")));
        return;
    }
    if (!spec.environment.isEmpty() && spec.argv.first().contains('=')) {
        Q_EMIT commandFinished(id, -1, makeError(ErrorCode::InvalidArgument,
            QStringLiteral("cannot run %1 with environment variables: the command name contains '='").arg(what)));
        return;
    }
    for (const auto &variable : spec.environment) {
        if (!isValidEnvironmentName(variable.first)) {
            Q_EMIT commandFinished(id, -1, makeError(ErrorCode::InvalidArgument,
                QStringLiteral("cannot run %1: \"%2\" is not a valid environment variable name")
                    .arg(what, QString::fromUtf8(variable.first))));
            return;
        }
    }
    m_waiting.emplace(id, spec);
    m_budget.enqueue(id, spec.longLived);
    openWaiting();
}

void SshWorker::scheduleOpenWaiting(int delayMs)
{
    // A retry timer pending never delays the pass a closing channel asks for.
    bool &pending = delayMs == 0 ? m_openScheduled : m_retryScheduled;
    if (pending)
        return;
    pending = true;
    QTimer::singleShot(delayMs, this, [this, &pending] {
        pending = false;
        openWaiting();
    });
}

void SshWorker::openWaiting()
{
    bool opened = false;
    while (m_connection) {
        const std::optional<quint64> next = m_budget.takeNext();
        if (!next)
            break;
        auto node = m_waiting.extract(*next);
        if (node.empty())
            continue;
        const OpenResult result = openChannel(*next, node.mapped());
        if (result == OpenResult::Refused) {
            m_budget.putBack(*next, node.mapped().longLived);
            m_waiting.insert(std::move(node));
            break;   // a closing channel, or the retry timer, tries again
        }
        m_refusals.erase(*next);
        opened = opened || result == OpenResult::Opened;
    }
    reportChannels();
    if (opened && m_connection)
        service();
}

void SshWorker::reportChannels()
{
    Q_EMIT channelsChanged(ChannelStats{m_budget.limit(), m_budget.open(), m_budget.waiting(), m_budget.peakOpen(),
                                        m_budget.peakWaiting()});
}

SshWorker::OpenResult SshWorker::openChannel(quint64 id, const CommandSpec &spec)
{
    const QString what = QString::fromUtf8(spec.argv.first());
    const QString operation = QStringLiteral("running %1").arg(what);
    ssh_session session = m_connection->session();
    ChannelHandle channel(ssh_channel_new(session));
    if (!channel || ssh_channel_open_session(channel.get()) != SSH_OK) {
        // "administratively prohibited: open failed": the server's MaxSessions is lower
        // than our budget. What it allowed is its limit; the command waits for a channel.
        const bool refused = channel && ssh_is_connected(session) && ssh_get_error_code(session) == SSH_REQUEST_DENIED;
        const Error error = m_connection->lostError(operation);
        channel.reset();   // before failAll() may free the session it belongs to
        if (refused) {
            if (m_budget.open() > 0 && m_budget.open() < m_budget.peakOpen()) {
                // The server had more of ours open at once before: a slot it still holds
                // for a channel that just closed (its command's process not yet reaped).
                // Not a lower limit: try again shortly.
                scheduleOpenWaiting(kLingeringRetryMs);
                return OpenResult::Refused;
            }
            const int before = m_budget.limit();
            if (m_budget.lowerAfterRefusal()) {
                if (m_budget.limit() < before)
                    qInfo("rdt: %s refused a session channel with %d open: at most %d at once from now on",
                          qPrintable(m_connection->targetName()), m_budget.open(), m_budget.limit());
                return OpenResult::Refused;
            }
            // None of ours open: sessions of commands cancelled a moment ago may still be
            // ending on the server. A few tries a second apart, then a clear error.
            if (++m_refusals[id] < kMaxRefusalsWithNoneOpen) {
                scheduleOpenWaiting(kRefusalRetryMs);
                return OpenResult::Refused;
            }
            m_refusals.erase(id);
            Q_EMIT commandFinished(id, -1, makeError(ErrorCode::RemoteFailed,
                QStringLiteral("cannot run %1: %2 refused every session channel (%3 tries %4 s apart): %5")
                    .arg(what, m_connection->targetName()).arg(kMaxRefusalsWithNoneOpen)
                    .arg(kRefusalRetryMs / 1000.0).arg(error.message)));
            return OpenResult::Failed;
        }
        Q_EMIT commandFinished(id, -1, error);
        if (!ssh_is_connected(session))
            failAll(error);
        return OpenResult::Failed;
    }
    const QByteArray commandLine = shellCommandLine(spec.argv, spec.environment);
    if (ssh_channel_request_exec(channel.get(), commandLine.constData()) != SSH_OK) {
        Q_EMIT commandFinished(id, -1, m_connection->lostError(operation));
        return OpenResult::Failed;
    }
    ActiveCommand command;
    command.channel = std::move(channel);
    command.what = what;
    command.timeoutMs = spec.timeoutMs;
    command.input = spec.input;
    command.output = spec.output;
    command.longLived = spec.longLived;
    if (!spec.input)
        command.pendingInput = spec.standardInput;   // then end-of-file, both from feedInput()
    command.started.start();
    command.sinceProgress.start();
    m_commands.emplace(id, std::move(command));
    m_budget.opened(spec.longLived);
    return OpenResult::Opened;
}

void SshWorker::cancelCommand(quint64 id)
{
    if (m_budget.remove(id)) {
        const QString what = QString::fromUtf8(m_waiting[id].argv.first());
        m_waiting.erase(id);
        m_refusals.erase(id);
        reportChannels();
        Q_EMIT commandFinished(id, -1, makeError(ErrorCode::Cancelled, QStringLiteral("%1 cancelled").arg(what)));
        return;
    }
    auto it = m_commands.find(id);
    if (it == m_commands.end())
        return;
    // OpenSSH delivers "signal" requests to the command (since 7.9); closing the channel
    // then hangs up on it, which ends a command that ignores the signal's absence.
    ssh_channel_request_send_signal(it->second.channel.get(), "TERM");
    finish(id, -1, makeError(ErrorCode::Cancelled, QStringLiteral("%1 cancelled").arg(it->second.what)));
}

void SshWorker::service()
{
    if (!m_connection)
        return;
    if (!m_reader->readPending()) {
        failAll(m_connection->lostError(QStringLiteral("connection to %1").arg(m_connection->targetName())));
        return;
    }
    bool more = false;
    std::vector<quint64> ids;
    for (const auto &entry : m_commands)
        ids.push_back(entry.first);
    for (quint64 id : ids) {
        auto it = m_commands.find(id);
        if (it != m_commands.end() && drain(id, it->second))
            more = true;
        if (!m_connection)
            return;   // drain() found the connection dead and tore it down
    }
    if (more && !m_serviceScheduled) {
        m_serviceScheduled = true;
        QTimer::singleShot(0, this, [this] {
            m_serviceScheduled = false;
            service();
        });
    }
}

// Sends standard input (the spec's bytes, or the input stream's), never more than the
// channel window takes, so the write returns at once and the other channels keep moving.
// A short write keeps the rest in pendingInput: nothing is read from the stream and no
// end-of-file is sent until every byte read so far went out.
bool SshWorker::feedInput(quint64 id, ActiveCommand &command, int &budget)
{
    ssh_channel channel = command.channel.get();
    command.inputStalled = false;
    while (!command.inputDone && budget > 0) {
        if (command.pendingSent == command.pendingInput.size()) {
            qint64 n = 0;
            if (command.input) {
                command.pendingInput.resize(kReadChunk);
                n = command.input->read(command.pendingInput.data(), kReadChunk);
                if (n < 0) {
                    ssh_channel_request_send_signal(channel, "TERM");
                    finish(id, -1, makeError(ErrorCode::LocalIo, command.input->errorString()));
                    return false;
                }
            }
            command.pendingInput.resize(qsizetype(n));
            command.pendingSent = 0;
            if (n == 0) {
                ssh_channel_send_eof(channel);
                command.inputDone = true;
                command.pendingInput = QByteArray();
                break;
            }
        }
        const uint32_t window = ssh_channel_window_size(channel);
        if (window == 0) {
            command.inputStalled = true;
            return true;   // the server's window adjust wakes the notifier
        }
        const qsizetype size = qMin<qsizetype>(qsizetype(window), command.pendingInput.size() - command.pendingSent);
        const int written = ssh_channel_write(channel, command.pendingInput.constData() + command.pendingSent, uint32_t(size));
        if (written == SSH_ERROR) {
            if (ssh_is_connected(m_connection->session())) {
                // The command closed its end before reading all its input (it failed, or
                // needed no more): stop sending; its output and exit status say why.
                command.inputDone = true;
                return true;
            }
            failAll(m_connection->lostError(QStringLiteral("running %1").arg(command.what)));
            return false;
        }
        command.pendingSent += written;
        command.sent += written;
        budget -= qMax(written, 1);
        if (written < size) {
            // A key exchange or a window libssh could not use in time: the rest goes when
            // the server's next packet (new keys, window adjust) wakes us, not in a spin.
            command.inputStalled = true;
            return true;
        }
    }
    return true;
}

void SshWorker::reportProgress(quint64 id, ActiveCommand &command, bool force)
{
    if (!command.input && !command.output)
        return;   // plain commands report their output itself
    if (command.sent == command.reportedSent && command.received == command.reportedReceived)
        return;
    if (!force && command.sinceProgress.elapsed() < 100)
        return;
    command.reportedSent = command.sent;
    command.reportedReceived = command.received;
    command.sinceProgress.restart();
    Q_EMIT commandProgress(id, command.sent, command.received);
}

bool SshWorker::drain(quint64 id, ActiveCommand &command)
{
    ssh_channel channel = command.channel.get();
    QByteArray &chunk = m_buffer;   // kReceiveWindow bytes, reused by every pass
    int budget = kMaxBytesPerPass;
    if (!feedInput(id, command, budget))
        return false;   // finished or the connection failed: `command` is gone
    for (int isStderr = 0; isStderr <= 1; ++isStderr) {
        while (budget > 0) {
            const bool growWindow = !isStderr && command.output && command.received - command.windowGrownAt >= kWindowGrowStep
                && ssh_channel_is_open(channel) && !ssh_channel_is_eof(channel);
            if (growWindow)
                command.windowGrownAt = command.received;
            // A stream takes all that libssh holds at once: after a partial read libssh
            // moves the unread rest to the front of its buffer when the next packet arrives.
            const uint32_t size = uint32_t(command.output && !isStderr ? kReceiveWindow : kReadChunk);
            const int n = growWindow ? readGrowingWindow(channel, chunk.data())
                                     : ssh_channel_read_nonblocking(channel, chunk.data(), size, isStderr);
            if (n == SSH_ERROR) {
                const Error error = m_connection->lostError(QStringLiteral("running %1").arg(command.what));
                if (ssh_is_connected(m_connection->session()))
                    finish(id, -1, error);   // this channel alone failed
                else
                    failAll(error);
                return false;
            }
            if (n <= 0)
                break;
            budget -= n;
            if (!isStderr && command.output) {
                command.received += n;
                if (!command.output->write(chunk.constData(), n)) {
                    ssh_channel_request_send_signal(channel, "TERM");
                    finish(id, -1, makeError(ErrorCode::LocalIo, command.output->errorString()));
                    return false;
                }
            } else {
                Q_EMIT commandOutput(id, QByteArray(chunk.constData(), n), isStderr != 0);
            }
        }
    }
    reportProgress(id, command, false);
    if (budget <= 0)
        return true;
    if (!command.inputDone && !command.inputStalled && ssh_channel_window_size(channel) > 0)
        return true;
    if (ssh_channel_is_eof(channel)) {
        reportProgress(id, command, true);
        // The exit status arrives just before or with the close; a blocking wait here
        // is bounded by the session timeout and normally returns at once.
        const int status = ssh_channel_get_exit_status(channel);
        finish(id, status, status >= 0 ? Error{}
            : makeError(ErrorCode::RemoteFailed, QStringLiteral("%1 ended without an exit status (killed by a signal?)")
                                                    .arg(command.what)));
        return false;
    }
    if (command.timeoutMs > 0 && command.started.elapsed() > command.timeoutMs) {
        ssh_channel_request_send_signal(channel, "TERM");
        finish(id, -1, makeError(ErrorCode::Timeout, QStringLiteral("%1 on %2 ran past its %3 s deadline")
                                                         .arg(command.what, m_connection->targetName())
                                                         .arg(command.timeoutMs / 1000.0)));
    }
    return false;
}

void SshWorker::finish(quint64 id, int exitStatus, const Error &error)
{
    auto it = m_commands.find(id);
    if (it == m_commands.end())
        return;
    ChannelHandle channel = std::move(it->second.channel);
    m_budget.closed(it->second.longLived);
    m_commands.erase(it);
    if (ssh_channel_is_open(channel.get()))
        ssh_channel_close(channel.get());
    channel.reset();
    Q_EMIT commandFinished(id, exitStatus, error);
    if (m_budget.waiting() > 0)
        scheduleOpenWaiting();   // a queued call: finish() may run inside a pass over m_commands
    else
        reportChannels();
}

void SshWorker::failAll(const Error &error)
{
    // Waiting commands first, so that the channels closing below open none of them.
    for (quint64 id : m_budget.takeAll()) {
        m_waiting.erase(id);
        m_refusals.erase(id);
        Q_EMIT commandFinished(id, -1, error);
    }
    std::vector<quint64> ids;
    for (const auto &entry : m_commands)
        ids.push_back(entry.first);
    const bool lost = m_connection && !ssh_is_connected(m_connection->session());
    for (quint64 id : ids)
        finish(id, -1, error);
    if (lost || error.code == ErrorCode::ConnectionLost) {
        dropConnection();
        Q_EMIT connectionLost(error);
    }
}

void SshWorker::keepaliveTick()
{
    if (!m_connection)
        return;
    for (auto &entry : m_commands) {
        ActiveCommand &command = entry.second;
        if (command.timeoutMs > 0 && command.started.elapsed() > command.timeoutMs) {
            service();   // drain() enforces the deadline
            break;
        }
    }
    if (!m_connection)
        return;
    // Whatever arrived since the last wake-up is counted before liveness is judged.
    if (!m_reader->readPending()) {
        failAll(m_connection->lostError(QStringLiteral("connection to %1").arg(m_connection->targetName())));
        return;
    }
    if (m_connection->keepalive().tick() == Keepalive::State::Dead) {
        Error error = m_connection->lostError(QStringLiteral("connection to %1").arg(m_connection->targetName()));
        if (error.code != ErrorCode::ConnectionLost || !error.message.contains(QLatin1String("jump host"))) {
            error = makeError(ErrorCode::ConnectionLost,
                QStringLiteral("connection to %1 lost: %2")
                    .arg(m_connection->targetName(), m_connection->keepalive().silenceReport()));
        }
        qWarning("rdt: %s", qPrintable(error.message));
        failAll(error);
        return;
    }
    // The keepalive answer (or anything else) may have been read by libssh already.
    service();
}

} // namespace rdt
