// Starts a training run on the server detached from the connection, and waits for the
// trainer's `start` event in ROOT/runs/<name>/metrics.jsonl (contract 2).
//
// The wizard's own small launcher: RunLauncher (issue 6) was not in the tree when this was
// written. Steps, each one remote command over the session's SshClient:
//   1. the remote $HOME, so "~/" paths become absolute before they are quoted;
//   2. the run folder and its launch.sh (the exact command, quoted here with shellQuote),
//      then `tmux new-session -d` when tmux is there, else `setsid nohup`;
//   3. a wait loop on the server: `start` -> started; an `error` event, the trainer's exit
//      or the timeout -> failed, with the last lines of its console output.
#pragma once

#include "Result.h"
#include "TrainingSettings.h"

#include <QObject>
#include <QPointer>

namespace rdt {

class RemoteProcess;
class SshClient;

// What the wizard hands over to the run dashboard.
struct LaunchedRun {
    QString name;          // ROOT/runs/<name>
    QString remoteRoot;    // as the user gave it ("~/..." allowed)
    QString runFolder;     // absolute, on the server
    QString detachedWith;  // "tmux session rdt-<name>; attach with: ..." or "setsid (pid N)"
};

class RunStarter : public QObject {
    Q_OBJECT
public:
    explicit RunStarter(SshClient *client, QObject *parent = nullptr);
    ~RunStarter() override;

    void start(const TrainingSettings &settings, const QString &remoteRoot, int startTimeoutSeconds = 300);
    // Stops waiting and stops the run if it was started.
    void cancel();
    bool isRunning() const { return m_running; }

    const LaunchedRun &run() const { return m_run; }
    const Error &error() const { return m_error; }
    QString failureOutput() const { return m_failureOutput; }   // the trainer's own lines

Q_SIGNALS:
    void stage(const QString &text);
    void started();   // the `start` event arrived
    void failed();

private:
    void launch(const QString &home);
    void waitForStart();
    void fail(const Error &error, const QString &output = {});
    QString absolute(const QString &path) const;
    QByteArray launchScript() const;

    SshClient *m_client;
    TrainingSettings m_settings;
    QString m_home;
    int m_timeoutSeconds = 300;
    bool m_running = false;
    bool m_launched = false;
    LaunchedRun m_run;
    Error m_error;
    QString m_failureOutput;
    QPointer<RemoteProcess> m_process;
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::LaunchedRun)
