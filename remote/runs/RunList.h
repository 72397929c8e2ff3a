// The runs under a remote root: every folder ROOT/runs/*/ (started by the workbench, by
// rdtctl or by hand) with its state, step of max steps, last loss and start time, all
// read by one remote command from the pid file, run.yaml and the ends of metrics.jsonl
// (its first line and last lines, never the whole file).
#pragma once

#include "CollectedCommand.h"
#include "MetricsEvent.h"
#include "Result.h"
#include "RunInfo.h"
#include "RunListOutput.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace rdt {

class SshClient;

class RunList : public QObject {
    Q_OBJECT
public:
    explicit RunList(SshClient *client, QObject *parent = nullptr);

    void refresh(const QString &remoteRoot);   // "~/" = remote home
    void cancel();
    bool isRunning() const { return !m_command.isNull(); }
    const QList<RunInfo> &runs() const { return m_runs; }   // sorted by name
    const Error &error() const { return m_error; }

    // The pieces, public for tests: the command, its output's parser, the state rule.
    static QList<QByteArray> command(const QString &remoteRoot);
    [[nodiscard]] static Result<QList<RunFacts>> parseOutput(const QByteArray &output, const QString &remoteRoot);
    static RunInfo summarise(const RunFacts &facts);

Q_SIGNALS:
    void finished();

private:
    void onFinished();

    SshClient *m_client;
    QPointer<CollectedCommand> m_command;
    QString m_root;
    QList<RunInfo> m_runs;
    Error m_error;
};

} // namespace rdt
