// The run list with its actions: Start (opens the wizard's launch), Stop, Resume and Open
// log for the selected run. The panel only emits intents; the app runs them.
#pragma once

#include <QWidget>

class QPushButton;
class QTableView;

namespace rdt {

class RunListModel;

class RunListPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunListPanel(QWidget *parent = nullptr);

    RunListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QString selectedRun() const;
    void selectRun(const QString &name);

signals:
    void startRequested();
    void stopRequested(const QString &run);
    void resumeRequested(const QString &run);
    void openLogRequested(const QString &run);
    void selectedRunChanged(const QString &run);

private:
    void updateButtons();

    RunListModel *m_model;
    QTableView *m_view;
    QPushButton *m_start;
    QPushButton *m_stop;
    QPushButton *m_resume;
    QPushButton *m_openLog;
    QString m_selectedBeforeReset;
    int m_scrollBeforeReset = 0;
};

} // namespace rdt
