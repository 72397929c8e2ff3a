// Follows one run's metrics.jsonl over SSH and emits its events: on attach the whole file
// is backfilled first, then new lines arrive as the trainer writes them, all through one
// long-lived remote command (RemoteFileFollower). When the connection drops it says so
// and keeps its place; resume() with a new connection continues from the last complete
// line, so the consumer sees every line exactly once.
#pragma once

#include "MetricsLineParser.h"
#include "RemoteFileFollower.h"

#include <QObject>

namespace rdt {

class SshClient;

class MetricsFollower : public QObject {
    Q_OBJECT
public:
    explicit MetricsFollower(QObject *parent = nullptr);

    // Follows `metricsPath` from its first byte (`~/` = remote home).
    void start(SshClient *client, const QString &metricsPath);
    // After interrupted(): the same file from completeOffset(), on a (new) connection.
    void resume(SshClient *client);
    void stop();

    bool isFollowing() const { return m_follower.isRunning(); }
    bool isBackfilled() const { return m_backfilled; }
    QString path() const { return m_follower.path(); }
    qint64 completeOffset() const { return m_parser.completeOffset(); }
    const MetricsLineParser &parser() const { return m_parser; }

    // metrics.jsonl of run `name` under `remoteRoot`: ROOT/runs/NAME/metrics.jsonl.
    static QString metricsPath(const QString &remoteRoot, const QString &runName);

Q_SIGNALS:
    // In file order, in batches (the backfill arrives in large ones).
    void eventsArrived(const rdt::MetricsEventList &events);
    // The file was truncated or replaced: drop what was plotted; events from its start follow.
    void restarted();
    // Everything the file held when following began has been delivered.
    void backfilled();
    void waitingForFile();
    void interrupted(const rdt::Error &error);

private:
    void onData(qint64 offset, const QByteArray &bytes);
    void onReset();
    void onCaughtUp();

    RemoteFileFollower m_follower;
    MetricsLineParser m_parser;
    bool m_backfilled = false;
    QString m_path;
};

} // namespace rdt
