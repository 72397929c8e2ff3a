// Follows one run's train.log for the dashboard's log panel: its last MiB first (a long
// run's log holds every step line; the panel keeps the last 20,000 lines anyway), then new
// lines as the trainer writes them, by byte offset through RemoteFileFollower, as
// `rdtctl tail --follow` does. After a lost connection resume() goes on after the last
// complete line, so no line is shown twice or skipped.
#pragma once

#include "RemoteFileFollower.h"
#include "RemoteProcess.h"
#include "Result.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

namespace rdt {

class SshClient;

class RunLogTail : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kBackfillBytes = 1 << 20;

    explicit RunLogTail(const QString &logPath, QObject *parent = nullptr);
    ~RunLogTail() override;

    void start(SshClient *client);    // the last kBackfillBytes, then live
    void resume(SshClient *client);   // after stop() or interrupted(): from the last complete line
    void stop();
    bool isStarted() const { return m_started; }   // start() ran: resume() from here on
    bool isFollowing() const { return m_follower.isRunning() || m_sizeProbe; }

    static QString logPath(const QString &remoteRoot, const QString &runName);

Q_SIGNALS:
    void linesArrived(const QStringList &lines);
    void restarted();                              // the log was truncated or replaced
    void interrupted(const rdt::Error &error);

private:
    void follow(SshClient *client, qint64 offset);
    void onData(qint64 offset, const QByteArray &bytes);

    RemoteFileFollower m_follower;
    QString m_path;
    QPointer<RemoteProcess> m_sizeProbe;
    QByteArray m_partial;          // an unfinished last line
    qint64 m_completeOffset = 0;   // just past the last line delivered (or skipped)
    bool m_skipToNewline = false;  // began inside a line: drop its rest
    bool m_started = false;
};

} // namespace rdt
