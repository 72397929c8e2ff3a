// The evals of one run: every ROOT/runs/RUN/eval/checkpoint-N/ with its state and progress,
// read by one remote command from the pid file, the launcher's notes, events.jsonl (its
// start, error and done lines and a count of its episode lines) and the last line of
// eval.log. The eval follower uses it for one checkpoint to notice an eval that died
// without a word.
#pragma once

#include "CollectedCommand.h"
#include "EvalInfo.h"
#include "Result.h"

#include <QObject>
#include <QPointer>

namespace rdt {

class SshClient;

class EvalList : public QObject {
    Q_OBJECT
public:
    explicit EvalList(SshClient *client, QObject *parent = nullptr);

    // `checkpoint` empty: all of the run's evals.
    void refresh(const QString &remoteRoot, const QString &runName, const QString &checkpoint = {});
    void cancel();
    bool isRunning() const { return !m_command.isNull(); }
    const QList<EvalInfo> &evals() const { return m_evals; }   // by step, oldest first
    const Error &error() const { return m_error; }

    static QList<QByteArray> command(const QString &remoteRoot, const QString &runName, const QString &checkpoint);
    [[nodiscard]] static Result<QList<EvalInfo>> parseOutput(const QByteArray &output, const QString &what);

Q_SIGNALS:
    void finished();

private:
    void onFinished();

    SshClient *m_client;
    QPointer<CollectedCommand> m_command;
    QString m_what;
    QList<EvalInfo> m_evals;
    Error m_error;
};

} // namespace rdt
