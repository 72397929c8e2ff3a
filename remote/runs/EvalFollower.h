// Follows one eval live from its events.jsonl over SSH (RemoteFileFollower: the file from its
// first byte, then lines as the eval writes them) and says what a user watches for: the
// start with the number of episodes, each episode's figures, an error, done. While no
// `done` or `error` has come, it looks every few seconds whether the eval process still
// lives (EvalList for this checkpoint), so an eval that was killed or crashed without a
// word ends the follow with a failure instead of waiting for ever. After interrupted(),
// resume() on a new connection continues from the last complete line.
#pragma once

#include "EvalEvent.h"
#include "RemoteFileFollower.h"
#include "Result.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace rdt {

class EvalList;
class SshClient;

class EvalFollower : public QObject {
    Q_OBJECT
public:
    explicit EvalFollower(QObject *parent = nullptr);
    ~EvalFollower() override;

    void start(SshClient *client, const QString &remoteRoot, const QString &runName, const QString &checkpoint);
    void resume(SshClient *client);
    void stop();   // no signal follows

    bool isFollowing() const { return m_follower.isRunning(); }
    bool isFinished() const { return m_finished; }
    int episodesDone() const { return m_episodesDone; }
    int episodesTotal() const { return m_episodesTotal; }   // -1 before the start event
    qint64 completeOffset() const { return m_completeOffset; }

    // How often the process is looked at while the eval has not ended.
    void setLivenessIntervalMs(int ms) { m_liveness.setInterval(ms); }
    static constexpr int kLivenessMs = 3000;

Q_SIGNALS:
    void started(int episodes);
    void episodeFinished(const rdt::EvalEvent &event);
    void done(int episodes);
    // One line: the eval's own error message, or how its process ended.
    void failed(const QString &message);
    void interrupted(const rdt::Error &error);

private:
    void onData(qint64 offset, const QByteArray &bytes);
    void onEvent(const EvalEvent &event);
    void checkLiveness();
    void onLivenessChecked();
    void finish();

    RemoteFileFollower m_follower;
    QPointer<SshClient> m_client;
    QPointer<EvalList> m_probe;
    QTimer m_liveness;
    QString m_root;
    QString m_run;
    QString m_checkpoint;
    QByteArray m_partial;            // the bytes of an unfinished last line
    qint64 m_completeOffset = 0;     // the file offset after the last complete line
    int m_episodesDone = 0;
    int m_episodesTotal = -1;
    int m_deadChecks = 0;            // consecutive looks that found no process
    bool m_finished = false;
};

} // namespace rdt
