// Glue between the byte follower and the line parser; the parser's offsets decide where a
// resumed follow starts.
#include "MetricsFollower.h"

namespace rdt {

MetricsFollower::MetricsFollower(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<rdt::MetricsEventList>();
    connect(&m_follower, &RemoteFileFollower::dataArrived, this, &MetricsFollower::onData);
    connect(&m_follower, &RemoteFileFollower::fileReset, this, &MetricsFollower::onReset);
    connect(&m_follower, &RemoteFileFollower::caughtUp, this, &MetricsFollower::onCaughtUp);
    connect(&m_follower, &RemoteFileFollower::fileMissing, this, &MetricsFollower::waitingForFile);
    connect(&m_follower, &RemoteFileFollower::interrupted, this, &MetricsFollower::interrupted);
}

QString MetricsFollower::metricsPath(const QString &remoteRoot, const QString &runName)
{
    QString root = remoteRoot;
    while (root.size() > 1 && root.endsWith(QLatin1Char('/')))
        root.chop(1);
    return QStringLiteral("%1/runs/%2/metrics.jsonl").arg(root, runName);
}

void MetricsFollower::start(SshClient *client, const QString &metricsPath)
{
    m_parser = {};
    m_backfilled = false;
    m_path = metricsPath;
    m_follower.start(client, metricsPath, 0);
}

void MetricsFollower::resume(SshClient *client)
{
    // The unfinished line is read again whole from its start; the inode makes a file
    // replaced while we were away start over instead of continuing at a stale offset.
    m_follower.start(client, m_path, m_parser.completeOffset(), m_follower.inode());
}

void MetricsFollower::stop()
{
    m_follower.stop();
}

void MetricsFollower::onData(qint64 offset, const QByteArray &bytes)
{
    MetricsBatch batch = m_parser.feed(offset, bytes);
    if (batch.restarted)
        Q_EMIT restarted();
    if (!batch.events.isEmpty())
        Q_EMIT eventsArrived(batch.events);
}

void MetricsFollower::onReset()
{
    m_parser.reset(0);
    Q_EMIT restarted();
}

void MetricsFollower::onCaughtUp()
{
    if (m_backfilled)
        return;
    m_backfilled = true;
    Q_EMIT backfilled();
}

} // namespace rdt
