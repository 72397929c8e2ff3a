// Starts `rdt-trainer train` for a run on the server, detached from the connection (in a
// tmux session "rdt-NAME" when tmux is there, else setsid nohup), so it keeps running
// when the workbench closes or the network drops. One remote command launches it and
// waits until the trainer has written its `start` event, or has died: then the trainer's
// own lines from train.log come back as the error.
#pragma once

#include "CollectedCommand.h"
#include "LaunchAnswer.h"
#include "Result.h"
#include "ShellQuote.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

namespace rdt {

class SshClient;

struct LaunchRequest {
    QString remoteRoot;                          // "~/" = remote home
    QString runName;                             // ROOT/runs/NAME, see RunFolderLayout::checkRunName
    QString trainer = QStringLiteral("rdt-trainer");   // a path, or a name found on the server's PATH
    QStringList trainerArguments;                // after `train`; --output_dir is added
    // Non-empty: the run is `rdt-trainer launch LAUNCHER -- train ...` (data parallel),
    // e.g. {"--nproc_per_node", "8"}; kept for resume.
    QStringList launcherArguments;
    // For the trainer (CUDA_VISIBLE_DEVICES, HF_HOME, ...): recorded in the run's
    // .rdt/trainer-env, so a resume runs with them again.
    EnvironmentList environment;
    int startTimeoutSeconds = 300;               // loading a 1B model takes a while
    bool useTmux = true;                         // false: setsid nohup even where tmux is installed
};


class RunLauncher : public QObject {
    Q_OBJECT
public:
    explicit RunLauncher(SshClient *client, QObject *parent = nullptr);

    // A new run: refused when ROOT/runs/NAME already holds a run.
    void start(const LaunchRequest &request);
    // An existing run launched by the workbench, again with its own arguments plus
    // --resume_from_checkpoint latest (request.trainerArguments is ignored).
    void resume(const LaunchRequest &request);
    void cancel();

    bool isRunning() const { return !m_command.isNull(); }
    const LaunchOutcome &outcome() const { return m_outcome; }
    const Error &error() const { return m_error; }   // code None: the trainer started

    static QList<QByteArray> command(const LaunchRequest &request, bool resume);

Q_SIGNALS:
    void finished();

private:
    void launch(const LaunchRequest &request, bool resume);
    void onFinished();

    SshClient *m_client;
    QPointer<CollectedCommand> m_command;
    QString m_what;          // "start run NAME", for messages
    LaunchOutcome m_outcome;
    Error m_error;
};

} // namespace rdt
