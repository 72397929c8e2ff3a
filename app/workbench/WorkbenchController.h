// Wires the main window's intents to the application's connections (ConnectionOwner: one
// per server, shared by the setup wizard, the Server view and the run dashboard, whose
// state the status bar shows) and the server check, the setup wizard to the local sandbox
// and to the run hand-over (the run dashboard takes the run), and the connections'
// questions (host keys, passphrases) to dialogs in the GUI thread.
#pragma once

#include "HostConnection.h"
#include "HostProfile.h"
#include "RunStarter.h"
#include "Result.h"
#include "SshQuestions.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace rdt {

class ConnectionOwner;
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
    ConnectionOwner *connections() const { return m_connections; }
    // The connection the Server view shows (the wizard's when they name the same server).
    HostConnection *serverViewConnection() const { return m_serverHost; }

Q_SIGNALS:
    // The wizard launched a run and its trainer started: the run dashboard takes over.
    void runHandedOver(const rdt::LaunchedRun &run);

private:
    SshQuestions dialogQuestions();
    void shareExistingRuns();
    // The Server view takes the wizard's connection when it is to the host the form shows.
    // False: not that host (or the wizard is not connected).
    bool useWizardConnection();
    // The Server view follows `host`'s state; `shared`: it is the wizard's, say so.
    void showInServerView(HostConnection *host, bool shared);
    // The dashboard follows `host` under `remoteRoot`, unless it does already.
    void attachDashboard(HostConnection *host, const QString &remoteRoot);
    SshClient *serverViewClient() const;
    void releaseServerView();
    void showError(const Error &error);
    void saveSettings() const;
    void loadSettings();

    MainWindow *m_window;
    ConnectionOwner *m_connections;           // every view's connections; a child
    QPointer<HostConnection> m_serverHost;    // the one the Server view shows; the owner's
    ServerCheck *m_check = nullptr;
    std::optional<HostProfile> m_profile;  // the profile last put into the form
    Sandbox *m_sandbox = nullptr;          // owned; null until asked for
    DashboardController *m_dashboard;      // feeds the main window's run dashboard
    QuitGuard *m_quitGuard;                // asks before quitting with runs going; a child of the window
};

} // namespace rdt
