// The checkpoint-N folders of one run: step, modification time and size, listed by one
// remote command, newest step last. The dashboard's checkpoint table and its download
// (a folder sync, see SyncRunner) start from here.
#pragma once

#include "CheckpointListOutput.h"
#include "Result.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

namespace rdt {

class CollectedCommand;
class SshClient;

class CheckpointList : public QObject {
    Q_OBJECT
public:
    explicit CheckpointList(SshClient *client, QObject *parent = nullptr);

    void refresh(const QString &remoteRoot, const QString &runName);
    const QList<CheckpointInfo> &checkpoints() const { return m_checkpoints; }   // by step
    const Error &error() const { return m_error; }

    static QList<QByteArray> command(const QString &remoteRoot, const QString &runName);
    [[nodiscard]] static Result<QList<CheckpointInfo>> parseOutput(const QByteArray &output, const QString &what);

Q_SIGNALS:
    void finished();

private:
    void onFinished();

    SshClient *m_client;
    QPointer<CollectedCommand> m_command;
    QString m_what;
    QList<CheckpointInfo> m_checkpoints;
    Error m_error;
};

} // namespace rdt
