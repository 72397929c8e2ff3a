// Starts the wizard's training run with RunLauncher, the launcher of `rdtctl run` and the
// run dashboard, so a run started here has the same run folder (.rdt/trainer-args and
// .rdt/trainer-env included) and can be resumed like any other. What the wizard adds:
//   1. one command for the remote $HOME ("~/" paths become absolute before they are
//      quoted) and the trainer the server check would use (ROOT/bin, ROOT/build/training,
//      PATH);
//   2. RunLauncher with the settings' flags and environment table; it returns once the
//      trainer has written its `start` event, or with the trainer's own error lines.
#pragma once

#include "Result.h"
#include "TrainingSettings.h"

#include <QObject>
#include <QPointer>

namespace rdt {

class RemoteProcess;
class RunLauncher;
class SshClient;

// What the wizard hands over to the run dashboard.
struct LaunchedRun {
    QString name;          // ROOT/runs/<name>
    QString remoteRoot;    // as the user gave it ("~/..." allowed)
    QString runFolder;     // absolute, on the server
    QString detachedWith;  // "tmux session rdt-<name>" or "setsid (pid N)"
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
    void launch(const QString &home, const QString &trainer);
    void launched();
    void fail(const Error &error, const QString &output = {});
    QString absolute(const QString &path) const;

    SshClient *m_client;
    TrainingSettings m_settings;
    QString m_home;
    int m_timeoutSeconds = 300;
    bool m_running = false;
    LaunchedRun m_run;
    Error m_error;
    QString m_failureOutput;
    QPointer<RemoteProcess> m_process;
    QPointer<RunLauncher> m_launcher;
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::LaunchedRun)
