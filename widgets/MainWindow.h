// The workbench's main window: the connection form and log on the left, the server
// checklist on the right. The setup wizard, sync, training and eval views come later.
#pragma once

#include <QMainWindow>

namespace rdt {

class CheckListModel;
class ConnectionPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    ConnectionPanel *connectionPanel() const { return m_connectionPanel; }
    CheckListModel *checkListModel() const { return m_checkListModel; }

private:
    ConnectionPanel *m_connectionPanel;
    CheckListModel *m_checkListModel;
};

} // namespace rdt
