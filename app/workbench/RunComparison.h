// Runs > Compare configurations (Ctrl+K): reads the configuration of the current run and of
// every run overlaid in the plot (RunExportReader, one after another over the dashboard's
// connection) and shows them side by side in a RunComparisonDialog, beside the curves.
#pragma once

#include "RunConfiguration.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

class QAction;

namespace rdt {

class DashboardController;
class MainWindow;
class RunComparisonDialog;
class RunExportReader;

class RunComparison : public QObject {
    Q_OBJECT
public:
    static RunComparison *install(MainWindow *window, DashboardController *controller);
    RunComparison(MainWindow *window, DashboardController *controller);

    QAction *action() const { return m_action; }
    // The current run first, then the overlaid ones in list order.
    QStringList chosenRuns() const;
    RunComparisonDialog *dialog() const;

public slots:
    void compare();

Q_SIGNALS:
    void status(const QString &text);
    void shown();   // the dialog is up with every run read

private:
    void readNext();

    MainWindow *m_window;
    DashboardController *m_controller;
    QAction *m_action;
    QStringList m_runs;
    QList<RunConfiguration> m_configurations;
    QPointer<RunExportReader> m_reader;
    QPointer<RunComparisonDialog> m_dialog;
};

} // namespace rdt
