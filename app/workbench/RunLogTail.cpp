// The size probe and the follow are two commands: the follow script starts at an offset it
// is given, and the offset of "the last MiB" needs the size first.
#include "RunLogTail.h"

#include "MetricsFollower.h"
#include "RemoteProcess.h"
#include "SshClient.h"

#include <QLoggingCategory>

// QT_LOGGING_RULES="rdt.follow.debug=true" traces the size probe and the follow it starts.
Q_LOGGING_CATEGORY(rdtLogTail, "rdt.follow.log", QtWarningMsg)

namespace rdt {

RunLogTail::RunLogTail(const QString &logPath, QObject *parent) : QObject(parent), m_path(logPath)
{
    connect(&m_follower, &RemoteFileFollower::dataArrived, this, &RunLogTail::onData);
    connect(&m_follower, &RemoteFileFollower::fileReset, this, [this] {
        m_partial.clear();
        m_completeOffset = 0;
        m_skipToNewline = false;
        Q_EMIT restarted();
    });
    connect(&m_follower, &RemoteFileFollower::interrupted, this, &RunLogTail::interrupted);
}

RunLogTail::~RunLogTail()
{
    stop();
}

QString RunLogTail::logPath(const QString &remoteRoot, const QString &runName)
{
    const QString metrics = MetricsFollower::metricsPath(remoteRoot, runName);
    return metrics.left(metrics.lastIndexOf(QLatin1Char('/')) + 1) + QStringLiteral("train.log");
}

void RunLogTail::start(SshClient *client)
{
    stop();
    m_started = true;
    m_partial.clear();
    CommandSpec spec;
    // A missing log (the trainer has not written yet) reads as size 0: follow from the start.
    spec.argv = {"sh", "-c",
                 "f=$1; case $f in \"~/\"*) f=$HOME/${f#??} ;; esac\n"
                 "stat -L -c %s -- \"$f\" 2>/dev/null || echo 0",
                 "rdt-log-size", m_path.toUtf8()};
    spec.timeoutMs = 30000;
    m_sizeProbe = client->start(spec);
    qCDebug(rdtLogTail) << "size probe of" << m_path << "process" << m_sizeProbe->id() << "client" << client;
    auto output = std::make_shared<QByteArray>();
    connect(m_sizeProbe, &RemoteProcess::standardOutput, this, [output](const QByteArray &data) { *output += data; });
    connect(m_sizeProbe, &RemoteProcess::finished, this, [this, client = QPointer<SshClient>(client), output] {
        RemoteProcess *probe = m_sizeProbe;
        m_sizeProbe = nullptr;
        const Error error = probe->error();
        probe->deleteLater();
        if (error.code != ErrorCode::None || !client) {
            Q_EMIT interrupted(makeError(error.code == ErrorCode::None ? ErrorCode::ConnectionLost : error.code,
                                         QStringLiteral("reading the size of %1: %2").arg(m_path, error.message)));
            return;
        }
        const qint64 size = output->trimmed().toLongLong();
        const qint64 offset = size > kBackfillBytes ? size - kBackfillBytes : 0;
        m_completeOffset = offset;
        m_skipToNewline = offset > 0;
        qCDebug(rdtLogTail) << "size of" << m_path << "is" << size << "(" << output->trimmed().right(40) << "), follow from" << offset;
        follow(client, offset);
    });
}

void RunLogTail::resume(SshClient *client)
{
    if (!m_started)
        return start(client);
    stop();
    m_partial.clear();   // read again whole from its start
    follow(client, m_completeOffset);
}

void RunLogTail::follow(SshClient *client, qint64 offset)
{
    m_follower.start(client, m_path, offset, m_follower.inode());
}

void RunLogTail::stop()
{
    if (m_sizeProbe) {
        disconnect(m_sizeProbe, nullptr, this, nullptr);
        m_sizeProbe->cancel();
        m_sizeProbe->deleteLater();
        m_sizeProbe = nullptr;
    }
    m_follower.stop();
}

void RunLogTail::onData(qint64 offset, const QByteArray &bytes)
{
    // Chunks continue each other; one that does not is the start of a fresh read.
    if (offset != m_completeOffset + m_partial.size()) {
        m_partial.clear();
        m_completeOffset = offset;
    }
    m_partial += bytes;
    if (m_skipToNewline) {
        const qsizetype newline = m_partial.indexOf('\n');
        if (newline < 0)
            return;
        m_completeOffset += newline + 1;
        m_partial.remove(0, newline + 1);
        m_skipToNewline = false;
    }
    const qsizetype end = m_partial.lastIndexOf('\n');
    if (end < 0)
        return;
    QStringList lines;
    for (QByteArray line : m_partial.left(end).split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        lines.append(QString::fromUtf8(line));
    }
    m_completeOffset += end + 1;
    m_partial.remove(0, end + 1);
    Q_EMIT linesArrived(lines);
}

} // namespace rdt
