// The workbench's main window: the connection form and log (with the host profiles in a
// tab beside them) on the left, the server checklist on the right. The setup wizard, sync,
// training and eval views come later.
#pragma once

#include <QMainWindow>

class QTabWidget;

namespace rdt {

class CheckListModel;
class ConnectionPanel;
class HostProfilesPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    ConnectionPanel *connectionPanel() const { return m_connectionPanel; }
    HostProfilesPanel *hostProfilesPanel() const { return m_hostProfilesPanel; }
    CheckListModel *checkListModel() const { return m_checkListModel; }

private:
    ConnectionPanel *m_connectionPanel;
    HostProfilesPanel *m_hostProfilesPanel;
    QTabWidget *m_leftTabs;
    CheckListModel *m_checkListModel;
};

} // namespace rdt
