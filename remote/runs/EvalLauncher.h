// Starts an eval of one checkpoint on the server, detached from the connection like a
// training run (tmux session "rdt-eval-RUN-checkpoint-N" when tmux is there, else setsid
// nohup), so it keeps running when the workbench closes and can be followed again from its
// events.jsonl. One remote command launches it and waits for the eval's `start` event, or
// for its death: then the last line of its eval.log comes back as the error.
#pragma once

#include "CollectedCommand.h"
#include "EvalLaunchOptions.h"
#include "LaunchAnswer.h"
#include "Result.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

namespace rdt {

class SshClient;

struct EvalLaunchRequest {
    QString remoteRoot;                  // "~/" = remote home
    QString runName;                     // ROOT/runs/NAME
    EvalLaunchOptions options;           // options.checkpoint names the folder evaluated
    QString trainer = QStringLiteral("rdt-trainer");   // for the default command line
    // Empty: EvalCommandLine::forTrainer(options, trainer). Otherwise a whole command line
    // with EvalCommandLine's placeholders, e.g. a server's own eval script.
    QStringList commandLine;
    // Or a line for the server's shell (an eval preset's, EvalCommandPreset::line), run as
    // `sh -c LINE rdt-eval-command OUTPUT_DIR` so the process names its folder.
    QByteArray shellLine;
    // An EvalCommandRecord's JSON, left in the eval folder as eval-command.json so the
    // download is read as its command wrote it; empty: none (the trainer's own eval).
    QByteArray record;
    int startTimeoutSeconds = 300;       // loading the checkpoint takes a while
    bool waitForStartEvent = true;       // false: started once the process lives (a command without events.jsonl)
    bool useTmux = true;
};


class EvalLauncher : public QObject {
    Q_OBJECT
public:
    explicit EvalLauncher(SshClient *client, QObject *parent = nullptr);

    // Refused when an eval of that checkpoint is running; a finished one is replaced.
    void start(const EvalLaunchRequest &request);
    void cancel();   // stops waiting; an eval already started keeps running

    bool isRunning() const { return !m_command.isNull(); }
    const LaunchOutcome &outcome() const { return m_outcome; }
    const Error &error() const { return m_error; }   // code None: the eval started

    // The command line the eval runs with (placeholders still in).
    static QStringList evalCommandLine(const EvalLaunchRequest &request);
    static QList<QByteArray> command(const EvalLaunchRequest &request);

Q_SIGNALS:
    void finished();

private:
    void onFinished();

    SshClient *m_client;
    QPointer<CollectedCommand> m_command;
    QString m_what;
    LaunchOutcome m_outcome;
    Error m_error;
};

} // namespace rdt
