// The errors of a data-parallel run that its metrics.jsonl and the head of its train.log do
// not show: rank r > 0 writes its error event to metrics.rank<r>.jsonl, and the launcher
// (`rdt-trainer launch`) names a worker that died ("rank 3 (pid 812) was killed by
// SIGKILL") on its stderr, which ends up in train.log among rank 0's lines. One remote
// command gathers both for the dashboard's notice strip.
#pragma once

#include "CollectedCommand.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <optional>

namespace rdt {

class SshClient;

class RankErrors : public QObject {
    Q_OBJECT
public:
    explicit RankErrors(SshClient *client, QObject *parent = nullptr);

    // remoteRoot: "~/" = remote home; the run folder is ROOT/runs/RUN.
    void start(const QString &remoteRoot, const QString &run);
    void cancel();
    bool isRunning() const { return m_command; }

    const QString &run() const { return m_run; }
    // "rank 1: <the error event's message>", then the launcher's lines about workers.
    const QStringList &errors() const { return m_errors; }
    const Error &error() const { return m_error; }
    // The run's CUDA_VISIBLE_DEVICES (.rdt/trainer-env); nullopt: not set there.
    const std::optional<QString> &visibleDevices() const { return m_visibleDevices; }

    static QList<QByteArray> command(const QString &remoteRoot, const QString &run);
    static QStringList parse(const QByteArray &output);
    static std::optional<QString> visibleDevices(const QByteArray &output);

Q_SIGNALS:
    void finished();

private:
    void onFinished();

    SshClient *m_client;
    QPointer<CollectedCommand> m_command;
    QString m_run;
    QStringList m_errors;
    std::optional<QString> m_visibleDevices;
    Error m_error;
};

} // namespace rdt
