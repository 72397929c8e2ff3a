// GUI wiring. The connection's questions arrive on its own thread and are answered by a
// blocking queued call into this (GUI) thread, which keeps the event loop running while
// the dialog is open; the connection thread simply waits for the answer.
#include "WorkbenchController.h"

#include "CheckListModel.h"
#include "ConnectionOwner.h"
#include "ConnectionPanel.h"
#include "DashboardController.h"
#include "HostKeyDialog.h"
#include "HostProfilesPanel.h"
#include "MainWindow.h"
#include "KeyboardShortcuts.h"
#include "LastConnection.h"
#include "LaunchPage.h"
#include "NextRunName.h"
#include "QuitGuard.h"
#include "RunComparison.h"
#include "RunDashboard.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "RunNotifier.h"
#include "RunReselector.h"
#include "ServerCheckPage.h"
#include "TakenRunNote.h"
#include "TrainingConfigPage.h"
#include "StepRateMemory.h"
#include "StopQuestion.h"
#include "ConnectionPage.h"
#include "Sandbox.h"
#include "SetupWizard.h"
#include "WindowState.h"
#include "WizardSession.h"
#include "ServerCheck.h"
#include "SshClient.h"
#include "SshConfig.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QSettings>
#include <QStatusBar>

namespace rdt {

namespace {
// How long the status bar shows an event (a run started); states stay until they change.
constexpr int kEventMessageMs = 20000;
} // namespace

WorkbenchController::WorkbenchController(MainWindow *window) : QObject(window), m_window(window)
{
    ConnectionPanel *panel = m_window->connectionPanel();
    connect(panel, &ConnectionPanel::connectRequested, this, &WorkbenchController::connectToServer);
    connect(panel, &ConnectionPanel::disconnectRequested, this, &WorkbenchController::disconnectFromServer);
    connect(panel, &ConnectionPanel::checkRequested, this, &WorkbenchController::checkServer);
    connect(panel, &ConnectionPanel::cancelRequested, this, &WorkbenchController::cancel);
    connect(m_window->hostProfilesPanel(), &HostProfilesPanel::profileActivated, this,
            &WorkbenchController::useProfile);

    // One connection per server for every view; the status bar shows the state of the one
    // the user connected to last, in the same words the views use.
    m_connections = new ConnectionOwner(this);
    m_connections->setQuestions(dialogQuestions());
    connect(m_connections, &ConnectionOwner::currentStateChanged, this,
            [this](HostConnection::State, const QString &text) { m_window->statusBar()->showMessage(text); });

    SetupWizard *wizard = m_window->setupWizard();
    wizard->session()->setQuestions(dialogQuestions());
    wizard->session()->setConnections(m_connections);
    connect(wizard, &SetupWizard::sandboxRequested, this, &WorkbenchController::startSandbox);
    connect(wizard->session(), &WizardSession::connected, this, [this] {
        WizardSession *session = m_window->setupWizard()->session();
        // The sandbox's "GPU host" trains on the CPU: its check expects no GPU.
        session->cpuOnlyServer = m_sandbox && m_sandbox->isReady() && session->sshConfigFile == m_sandbox->sshConfigFile();
        if (!session->cpuOnlyServer)
            LastConnection::save(*session);
        // The dashboard shows that server's runs at once (a restart finds its runs there).
        if (m_dashboard->link() == DashboardController::Link::Detached && !session->profile.remoteRoot.isEmpty())
            attachDashboard(session->host(), session->profile.remoteRoot);
        // The Server view shows the same connection, unless it shows another live one.
        if (!m_serverHost || m_serverHost->state() == HostConnection::State::Disconnected) {
            ConnectionPanel *panel = m_window->connectionPanel();
            panel->setHost(session->profile.host);
            panel->setJumps(session->profile.jumps.join(QLatin1Char(',')));
            panel->setRemoteRoot(session->profile.remoteRoot);
            useWizardConnection();
        }
    });
    m_dashboard = new DashboardController(m_window->runDashboard(), m_window->runsStatusLine(), this);
    m_dashboard->setQuestions(dialogQuestions());
    m_dashboard->setStopConfirmation([this](const QString &run) { return StopQuestion::confirm(m_window, run); });
    m_quitGuard = new QuitGuard(m_window, this);
    // Coming back to the server check (Back from a later page, after uploads there) checks
    // again: its rows would otherwise show the server as it was. Going forward,
    // initializePage does that already.
    connect(wizard, &QWizard::currentIdChanged, this, [this, wizard, previous = int(SetupWizard::ConnectionPageId)](int id) mutable {
        if (id == SetupWizard::ServerCheckPageId && previous > SetupWizard::ServerCheckPageId)
            wizard->serverCheckPage()->checkAgain();
        previous = id;
    });
    connect(m_dashboard, &DashboardController::startRequested, this, &WorkbenchController::startAnotherRun);
    new RunReselector(m_window->runDashboard(), m_dashboard, this);
    RunNotifier::install(m_window, m_dashboard);
    KeyboardShortcuts::install(m_window);
    RunComparison::install(m_window, m_dashboard);
    WindowState::install(m_window);   // after everything that adds splitters, tabs and menus
    new StepRateMemory(m_window);
    RunListModel *runs = m_window->runDashboard()->runList()->model();
    connect(runs, &QAbstractItemModel::modelReset, this, &WorkbenchController::shareExistingRuns);
    connect(runs, &QAbstractItemModel::rowsInserted, this, &WorkbenchController::shareExistingRuns);
    connect(wizard->launchPage()->takenRunNote(), &TakenRunNote::resumeRequested, this, [this](const QString &run) {
        m_dashboard->showRun(run);
        m_window->showRuns();
        Q_EMIT m_window->runDashboard()->resumeRequested(run);
    });
    connect(wizard, &SetupWizard::runStarted, this, [this](const LaunchedRun &run) {
        WizardSession *session = m_window->setupWizard()->session();
        if (!session->existingRuns.contains(run.name))
            session->existingRuns << run.name;
        // An event, not a state: it goes after a while instead of standing for later runs.
        m_window->statusBar()->showMessage(tr("Run %1 started on %2 (%3)")
                                               .arg(run.name, session->profile.host, run.detachedWith),
                                           kEventMessageMs);
        // The dashboard follows the wizard's connection, unless it already follows this root there.
        if (session->isConnected())
            attachDashboard(session->host(), run.remoteRoot);
        if (!session->trainerPath.isEmpty())
            m_dashboard->setTrainer(session->trainerPath);
        m_dashboard->showRun(run.name);
        m_window->showRuns();
        Q_EMIT runHandedOver(run);
    });
    loadSettings();
}

WorkbenchController::~WorkbenchController()
{
    delete m_check;
    m_dashboard->detach();   // its commands go before their connection does
    delete m_connections;    // closes every connection
    delete m_sandbox;        // stops the sandbox's servers
}

void WorkbenchController::restoreLastConnection()
{
    const std::optional<LastConnection::Saved> last = LastConnection::load();
    if (!last)
        return;
    SetupWizard *wizard = m_window->setupWizard();
    wizard->useProfile(last->profile, last->sshConfigFile);
    m_window->statusBar()->showMessage(tr("Connecting again to %1, the server of the last session…").arg(last->profile.host));
    wizard->connectionPage()->testConnection();
}

void WorkbenchController::startAnotherRun()
{
    SetupWizard *wizard = m_window->setupWizard();
    const bool launched = wizard->currentId() == SetupWizard::LaunchPageId && wizard->launchPage()->hasStarted();
    if (launched) {
        // Back on the configuration page with the last settings and the next free name.
        wizard->back();
        TrainingConfigPage *training = wizard->trainingPage();
        TrainingSettings settings = training->settings();
        settings.runName = NextRunName::after(settings.runName, wizard->session()->existingRuns);
        training->setSettings(settings);
    }
    m_window->showWizard();
}

// The launch page warns about a taken name from the dashboard's listing, when the
// dashboard lists the wizard's server and root.
void WorkbenchController::shareExistingRuns()
{
    WizardSession *session = m_window->setupWizard()->session();
    if (!session->host() || m_dashboard->host() != session->host()
        || m_dashboard->remoteRoot() != session->profile.remoteRoot)
        return;
    const RunListModel *runs = m_window->runDashboard()->runList()->model();
    QStringList names;
    for (int row = 0; row < runs->rowCount(); ++row)
        names << runs->run(row).name;
    session->existingRuns = names;
}

void WorkbenchController::startSandbox()
{
    SetupWizard *wizard = m_window->setupWizard();
    ConnectionPage *page = wizard->connectionPage();
    m_window->showWizard();
    if (m_sandbox && m_sandbox->isReady()) {
        wizard->useProfile(m_sandbox->profile(), m_sandbox->sshConfigFile());
        page->testConnection();
        return;
    }
    delete m_sandbox;
    m_sandbox = new Sandbox();
    connect(m_sandbox, &Sandbox::progress, page, [page](const QString &step) { page->showNote(step); });
    connect(m_sandbox, &Sandbox::failed, page, [page](const Error &error) { page->showNote(error.message, true); });
    connect(m_sandbox, &Sandbox::ready, this, [this, wizard, page] {
        wizard->useProfile(m_sandbox->profile(), m_sandbox->sshConfigFile());
        page->testConnection();   // clears the note: the sandbox's goes in after it
        page->showNote(tr("Sandbox: a jump host on 127.0.0.1:%1 and a GPU host on 127.0.0.1:%2 (ssh -F %3/ssh_config "
                          "sandbox-gpu), a dataset and a model in %3/local. On the configuration page, pick "
                          "\"CPU smoke test (sandbox)\". The servers stop when the workbench exits.")
                           .arg(m_sandbox->jumpPort())
                           .arg(m_sandbox->gpuPort())
                           .arg(m_sandbox->folder()));
    });
    m_sandbox->start();
}

SshQuestions WorkbenchController::dialogQuestions()
{
    SshQuestions questions;
    QPointer<MainWindow> window = m_window;
    questions.unknownHostKey = [window](const HostKeyQuestion &question) {
        HostKeyAnswer answer = HostKeyAnswer::Reject;
        if (window)
            QMetaObject::invokeMethod(window, [&] { answer = HostKeyDialog::ask(question, window); },
                                      Qt::BlockingQueuedConnection);
        return answer;
    };
    questions.secret = [window](const SecretPrompt &prompt) -> std::optional<QByteArray> {
        std::optional<QByteArray> answer;
        if (!window)
            return answer;
        QMetaObject::invokeMethod(window, [&] {
            bool ok = false;
            const QString text = QInputDialog::getText(window, tr("Authentication for %1").arg(prompt.host),
                                                       prompt.prompt, prompt.echo ? QLineEdit::Normal : QLineEdit::Password,
                                                       QString(), &ok);
            if (ok)
                answer = text.toUtf8();
        }, Qt::BlockingQueuedConnection);
        return answer;
    };
    return questions;
}

void WorkbenchController::connectToServer()
{
    m_window->showWorkspace();   // where the connection's log and the checklist are
    ConnectionPanel *panel = m_window->connectionPanel();
    if (panel->host().isEmpty()) {
        panel->appendMessage(tr("Enter the GPU server: an alias from ~/.ssh/config or user@host"), true);
        return;
    }
    if (useWizardConnection())
        return;
    // The wizard's host (the sandbox's among them) resolves through the wizard's ssh_config.
    const WizardSession *session = m_window->setupWizard()->session();
    Result<SshConfig> config = SshConfig::load(panel->host() == session->profile.host ? session->sshConfigFile : QString());
    if (!config) {
        showError(config.error());
        return;
    }
    // The profile's overrides only hold while the form shows what the profile put there.
    const bool fromProfile = m_profile && m_profile->host == panel->host()
        && m_profile->jumps == panel->jumps();
    Result<SshRoute> route = fromProfile ? m_profile->toRoute(config.value())
                                         : config->resolve(panel->host(), panel->jumps());
    if (!route) {
        showError(route.error());
        return;
    }
    saveSettings();
    releaseServerView();
    // The owner's connection to that server: the wizard's, if it is the same one.
    showInServerView(m_connections->open(route.value()), false);
}

SshClient *WorkbenchController::serverViewClient() const
{
    return m_serverHost ? m_serverHost->client() : nullptr;
}

void WorkbenchController::attachDashboard(HostConnection *host, const QString &remoteRoot)
{
    if (!host || remoteRoot.isEmpty())
        return;
    // Already its server and root: the dashboard follows that connection's ups and downs by
    // itself, and attaching again would drop what its followers have read.
    if (m_dashboard->host() == host && m_dashboard->remoteRoot() == remoteRoot)
        return;
    m_dashboard->attach(host, remoteRoot);
}

void WorkbenchController::showInServerView(HostConnection *host, bool shared)
{
    ConnectionPanel *panel = m_window->connectionPanel();
    m_serverHost = host;
    connect(host, &HostConnection::connectStep, this, [panel](const ConnectStep &step) { panel->appendStep(step); });
    connect(host, &HostConnection::stateChanged, this, [this, panel](HostConnection::State state, const QString &text) {
        switch (state) {
        case HostConnection::State::Connecting:
        case HostConnection::State::Reconnecting:
            delete m_check;   // it ran on the lost client
            m_check = nullptr;
            panel->setState(ConnectionPanel::State::Connecting);
            panel->appendMessage(text, state == HostConnection::State::Reconnecting);
            break;
        case HostConnection::State::Connected:
            panel->setState(ConnectionPanel::State::Connected);
            panel->appendMessage(text);
            break;
        case HostConnection::State::Disconnected:
            delete m_check;
            m_check = nullptr;
            panel->setState(ConnectionPanel::State::Disconnected);
            panel->appendMessage(text, true);
            break;
        }
    });
    connect(host, &HostConnection::connected, this, [this, panel] {
        if (m_dashboard->link() == DashboardController::Link::Detached)
            attachDashboard(m_serverHost, panel->remoteRoot());
    });
    switch (host->state()) {
    case HostConnection::State::Connected:
        panel->setState(ConnectionPanel::State::Connected);
        panel->appendMessage(shared ? tr("Connected to %1 (the setup wizard's connection, shared)").arg(host->name())
                                    : tr("Connected to %1 (the connection every view shares)").arg(host->name()));
        if (m_dashboard->link() == DashboardController::Link::Detached)
            attachDashboard(host, panel->remoteRoot());
        break;
    case HostConnection::State::Connecting:
    case HostConnection::State::Reconnecting:
        panel->setState(ConnectionPanel::State::Connecting);
        panel->appendMessage(host->statusText());
        break;
    case HostConnection::State::Disconnected:
        panel->setState(ConnectionPanel::State::Disconnected);
        break;
    }
}

bool WorkbenchController::useWizardConnection()
{
    ConnectionPanel *panel = m_window->connectionPanel();
    WizardSession *session = m_window->setupWizard()->session();
    if (!session->isConnected() || panel->host() != session->profile.host || panel->jumps() != session->profile.jumps)
        return false;
    if (m_serverHost == session->host())
        return true;
    releaseServerView();
    showInServerView(session->host(), true);
    return true;
}

void WorkbenchController::useProfile(const HostProfile &profile)
{
    ConnectionPanel *panel = m_window->connectionPanel();
    // The Server view lets go of what it showed; that connection stays up for the others.
    releaseServerView();
    m_profile = profile;
    panel->setHost(profile.host);
    panel->setJumps(profile.jumps.join(QLatin1Char(',')));
    panel->setRemoteRoot(profile.remoteRoot);
    panel->appendMessage(tr("Host profile '%1': %2%3").arg(profile.name, profile.host,
                             profile.jumps.isEmpty() ? QString()
                                                     : tr(" via %1").arg(profile.jumps.join(QStringLiteral(", ")))));
}

// The user's Disconnect: that server's connection closes for every view (they all say so).
void WorkbenchController::disconnectFromServer()
{
    delete m_check;
    m_check = nullptr;
    if (m_serverHost)
        m_serverHost->close();
    else
        m_window->connectionPanel()->appendMessage(tr("Disconnected"));
}

void WorkbenchController::checkServer()
{
    SshClient *client = serverViewClient();
    if (!client || !client->isConnected())
        return;
    ConnectionPanel *panel = m_window->connectionPanel();
    delete m_check;
    m_check = new ServerCheck(client, this);
    connect(m_check, &ServerCheck::finished, this, [this, panel] {
        SshClient *client = serverViewClient();
        panel->setState(client && client->isConnected() ? ConnectionPanel::State::Connected
                                                        : ConnectionPanel::State::Disconnected);
        if (m_check->error().code != ErrorCode::None) {
            showError(m_check->error());
            return;
        }
        m_window->checkListModel()->setItems(m_check->items());
        const CheckStatus worst = CheckItem::worstStatus(m_check->items());
        panel->appendMessage(tr("Server check finished: %1").arg(CheckItem::statusName(worst)));
    });
    panel->setState(ConnectionPanel::State::Checking);
    panel->appendMessage(tr("Checking %1 under %2…").arg(client->route().target.displayName(), panel->remoteRoot()));
    m_check->start(panel->remoteRoot());
}

void WorkbenchController::cancel()
{
    ConnectionPanel *panel = m_window->connectionPanel();
    if (m_check && m_check->isRunning()) {
        m_check->cancel();
        panel->setState(ConnectionPanel::State::Connected);
        panel->appendMessage(tr("Server check cancelled"));
        return;
    }
    if (m_serverHost && m_serverHost->state() != HostConnection::State::Connected)
        m_serverHost->close();
    panel->appendMessage(tr("Connection attempt cancelled"));
}

// The Server view stops showing its connection (which stays up for the other views).
void WorkbenchController::releaseServerView()
{
    delete m_check;
    m_check = nullptr;
    m_window->connectionPanel()->setState(ConnectionPanel::State::Disconnected);
    if (m_serverHost)
        disconnect(m_serverHost, nullptr, this, nullptr);
    m_serverHost = nullptr;
}

void WorkbenchController::showError(const Error &error)
{
    m_window->connectionPanel()->appendMessage(error.message, true);
    m_window->statusBar()->showMessage(error.message);
}

void WorkbenchController::saveSettings() const
{
    const ConnectionPanel *panel = m_window->connectionPanel();
    QSettings settings;
    settings.setValue(QStringLiteral("connection/host"), panel->host());
    settings.setValue(QStringLiteral("connection/jumps"), panel->jumps().join(QLatin1Char(',')));
    settings.setValue(QStringLiteral("connection/root"), panel->remoteRoot());
}

void WorkbenchController::loadSettings()
{
    ConnectionPanel *panel = m_window->connectionPanel();
    QSettings settings;
    panel->setHost(settings.value(QStringLiteral("connection/host")).toString());
    panel->setJumps(settings.value(QStringLiteral("connection/jumps")).toString());
    const QString root = settings.value(QStringLiteral("connection/root")).toString();
    if (!root.isEmpty())
        panel->setRemoteRoot(root);
}

} // namespace rdt
