// Wires the main window's intents to the SSH client and the server check, the setup
// wizard to the local sandbox and to the run hand-over (the run dashboard takes the run),
// and the connections' questions (host keys, passphrases) to dialogs in the GUI thread.
#pragma once

#include "HostProfile.h"
#include "RunStarter.h"
#include "Result.h"
#include "SshQuestions.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace rdt {

class DashboardController;
class MainWindow;
class QuitGuard;
class Sandbox;
class ServerCheck;
class SshClient;

class WorkbenchController : public QObject {
    Q_OBJECT
public:
    explicit WorkbenchController(MainWindow *window);
    ~WorkbenchController() override;

    void connectToServer();
    void disconnectFromServer();
    void checkServer();
    void cancel();
    // Fills the connection form from the profile; its user, port and identity apply to the
    // next connection as long as the form still shows the profile's host and jumps.
    void useProfile(const HostProfile &profile);
    // Starts the local sandbox (two throwaway sshd's, a dataset and a model) and fills the
    // wizard's first page for it; the servers stop when the controller goes.
    void startSandbox();
    // Connects the wizard (and so the dashboard and the Server view) to the server the
    // last session used, if any (not the sandbox: startSandbox brings that back).
    void restoreLastConnection();
    // The dashboard's Start…: the wizard again, ready for another run (after a launch: the
    // configuration page with the last settings and a free run name).
    void startAnotherRun();
    Sandbox *sandbox() const { return m_sandbox; }
    DashboardController *dashboard() const { return m_dashboard; }
    QuitGuard *quitGuard() const { return m_quitGuard; }

Q_SIGNALS:
    // The wizard launched a run and its trainer started: the run dashboard takes over.
    void runHandedOver(const rdt::LaunchedRun &run);

private:
    SshQuestions dialogQuestions();
    void shareExistingRuns();
    // The Server view takes the wizard's connection when it is to the host the form shows,
    // rather than opening a second one that could disagree with it. False: not that host.
    bool useWizardConnection();
    SshClient *serverViewClient() const;
    void retireClient();
    void showError(const Error &error);
    void saveSettings() const;
    void loadSettings();

    MainWindow *m_window;
    SshClient *m_client = nullptr;          // the Server view's own connection; owned
    QPointer<SshClient> m_sharedClient;     // or the wizard's, which the Server view shows too
    ServerCheck *m_check = nullptr;
    std::optional<HostProfile> m_profile;  // the profile last put into the form
    Sandbox *m_sandbox = nullptr;          // owned; null until asked for
    DashboardController *m_dashboard;      // feeds the main window's run dashboard
    QuitGuard *m_quitGuard;                // asks before quitting with runs going; a child of the window
};

} // namespace rdt
