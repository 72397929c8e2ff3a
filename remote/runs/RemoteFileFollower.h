// Follows one growing file on the server by byte offset with a single long-lived remote
// command (a POSIX sh loop: GNU stat for size and inode, dd from the offset), like
// `tail -c +OFFSET -F` but with every chunk framed by its offset, so the reader knows
// exactly which bytes it has, sees truncation and replacement, and can resume after a
// lost connection without a gap or a duplicate. Nothing is ever re-read from the start
// unless the file itself started again.
#pragma once

#include "FollowFrameDecoder.h"
#include "Result.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace rdt {

class RemoteProcess;
class SshClient;

class RemoteFileFollower : public QObject {
    Q_OBJECT
public:
    explicit RemoteFileFollower(QObject *parent = nullptr);
    ~RemoteFileFollower() override;

    // Reads `path` ("~/" = remote home) from `offset`; with `inode` (from a previous
    // follow), a different file under that name restarts at 0 with reset().
    void start(SshClient *client, const QString &path, qint64 offset = 0, const QByteArray &inode = {});
    void stop();   // ends the remote command; no signal follows
    bool isRunning() const { return !m_process.isNull(); }
    QString path() const { return m_path; }
    QByteArray inode() const { return m_inode; }   // of the file last seen

    // The command line the follower runs (sh -c SCRIPT rdt-follow PATH OFFSET INODE POLL),
    // exposed so tests can run the script locally.
    static QList<QByteArray> command(const QString &path, qint64 offset, const QByteArray &inode,
                                     int pollMs = kPollMs);
    // How often the script looks at the file: the floor of the follow latency.
    static constexpr int kPollMs = 200;
    // The script speaks at least every 10 polls (@alive), so a follow that says nothing for
    // this long is stuck somewhere between the server and here: it ends with interrupted(),
    // and its owner starts it again, instead of showing nothing for good.
    static constexpr int kSilenceLimitMs = 20000;

Q_SIGNALS:
    void dataArrived(qint64 offset, const QByteArray &bytes);
    void fileReset(const QString &reason);          // truncated or replaced: data restarts at 0
    void fileMissing();                             // not there (yet); still watching
    void caughtUp(qint64 offset);                   // read up to the file's end
    // The command ended: connection lost, or the server stopped it. start() again resumes.
    void interrupted(const rdt::Error &error);

private:
    void onOutput(const QByteArray &output);
    void onFinished();
    void onSilence();

    QPointer<RemoteProcess> m_process;
    QString m_path;
    QByteArray m_inode;
    QByteArray m_errorOutput;
    FollowFrameDecoder m_decoder;
    QTimer m_silence;           // restarted by every output while the command runs
    qint64 m_received = 0;      // bytes of output from the current command, for the stall's message
};

} // namespace rdt
