// The workbench's main window. It opens on the setup wizard (connection, check, data,
// configuration, launch); once a run is handed over it shows the "Runs" view (the run
// dashboard under a line that says how its connection stands); from the "Server" button,
// the workspace: the connection form and log (with the host profiles in a tab beside them)
// on the left, the server checklist on the right.
#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace rdt {

class CheckListModel;
class ConnectionPanel;
class HostProfileStore;
class HostProfilesPanel;
class RunDashboard;
class SetupWizard;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    SetupWizard *setupWizard() const { return m_wizard; }
    void showWizard();
    void showWorkspace();
    void showRuns();
    bool isShowingWizard() const;

    ConnectionPanel *connectionPanel() const { return m_connectionPanel; }
    HostProfilesPanel *hostProfilesPanel() const { return m_hostProfilesPanel; }
    CheckListModel *checkListModel() const { return m_checkListModel; }
    RunDashboard *runDashboard() const { return m_runDashboard; }
    QLabel *runsStatusLine() const { return m_runsStatus; }

private:
    std::unique_ptr<HostProfileStore> m_wizardProfiles;   // the wizard's read-only view of the profiles
    QStackedWidget *m_stack;
    SetupWizard *m_wizard;
    QWidget *m_workspace;
    ConnectionPanel *m_connectionPanel;
    HostProfilesPanel *m_hostProfilesPanel;
    QTabWidget *m_leftTabs;
    CheckListModel *m_checkListModel;
    QWidget *m_runsPage;
    QLabel *m_runsStatus;
    RunDashboard *m_runDashboard;
};

} // namespace rdt
