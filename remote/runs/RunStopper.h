// Stops a running trainer: SIGINT first, so a trainer that handles it can write a final
// checkpoint, then SIGTERM when it is still there after the grace period. The run folder
// records that the stop was asked for, so the run list shows "stopped", not "failed".
// One remote command; it returns when the trainer is gone (or still there after SIGTERM).
#pragma once

#include "Result.h"

#include <QObject>
#include <QPointer>

namespace rdt {

class CollectedCommand;
class SshClient;

struct StopOutcome {
    bool wasRunning = false;
    qint64 pid = 0;
    bool terminated = false;     // SIGINT was not enough: SIGTERM was sent
    QString exitStatus;          // from RUN/.rdt/exit-status when the launcher wrote it
};

class RunStopper : public QObject {
    Q_OBJECT
public:
    explicit RunStopper(SshClient *client, QObject *parent = nullptr);

    void stop(const QString &remoteRoot, const QString &runName, int graceSeconds = kDefaultGraceSeconds);
    // The eval of `checkpoint` running for a run (ROOT/runs/RUN/eval/CHECKPOINT, EvalFolder):
    // the same signals, the same notes, in the eval's folder, sent to the eval's whole
    // process group so a script's children end with it.
    void stopEval(const QString &remoteRoot, const QString &runName, const QString &checkpoint,
                  int graceSeconds = kDefaultEvalGraceSeconds);
    const StopOutcome &outcome() const { return m_outcome; }
    const Error &error() const { return m_error; }   // a trainer that survived SIGTERM is an error

    // `runName` may be a path under ROOT/runs (an eval's folder); `group`: signal the
    // process group of the pid found, which an eval launched detached leads.
    static QList<QByteArray> command(const QString &remoteRoot, const QString &runName, int graceSeconds, bool group = false);
    // Writing an RDT-1B checkpoint (model, EMA, optimizer state) takes tens of seconds.
    static constexpr int kDefaultGraceSeconds = 60;
    // An eval writes nothing worth waiting for once interrupted.
    static constexpr int kDefaultEvalGraceSeconds = 10;

Q_SIGNALS:
    void finished();

private:
    // `folder` is relative to ROOT/runs and already checked.
    void stopFolder(const QString &remoteRoot, const QString &folder, int graceSeconds, bool group);
    void onFinished();

    SshClient *m_client;
    QPointer<CollectedCommand> m_command;
    QString m_what;
    bool m_eval = false;
    StopOutcome m_outcome;
    Error m_error;
};

} // namespace rdt
