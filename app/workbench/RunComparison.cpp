// One reader at a time: a second Compare while one is reading starts over.
#include "RunComparison.h"

#include "DashboardController.h"
#include "MainWindow.h"
#include "RunComparisonDialog.h"
#include "RunComparisonModel.h"
#include "RunDashboard.h"
#include "RunExportReader.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "SshClient.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

namespace rdt {

RunComparison *RunComparison::install(MainWindow *window, DashboardController *controller)
{
    auto *comparison = new RunComparison(window, controller);
    window->menuBar()->addMenu(tr("&Runs"))->addAction(comparison->action());
    window->addAction(comparison->action());
    connect(comparison, &RunComparison::status, window, [window](const QString &text) { window->statusBar()->showMessage(text, 10000); });
    return comparison;
}

RunComparison::RunComparison(MainWindow *window, DashboardController *controller)
    : QObject(window), m_window(window), m_controller(controller)
{
    m_action = new QAction(tr("Compare configurations of the overlaid runs"), this);
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(m_action, &QAction::triggered, this, &RunComparison::compare);
}

RunComparisonDialog *RunComparison::dialog() const
{
    return m_dialog;
}

QStringList RunComparison::chosenRuns() const
{
    RunDashboard *dashboard = m_window->runDashboard();
    QStringList runs;
    if (!dashboard->currentRun().isEmpty())
        runs.append(dashboard->currentRun());
    const RunListModel *model = dashboard->runList()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString name = model->run(row).name;
        if (model->isOverlaid(name) && !runs.contains(name))
            runs.append(name);
    }
    return runs;
}

void RunComparison::compare()
{
    m_runs = chosenRuns();
    if (m_runs.size() < 2) {
        Q_EMIT status(tr("Compare: overlay at least one more run (its checkbox in the run list)"));
        return;
    }
    SshClient *client = m_controller->client();
    if (!client || !client->isConnected()) {
        Q_EMIT status(tr("Compare: not connected to the server"));
        return;
    }
    if (m_reader)
        m_reader->deleteLater();
    m_configurations.clear();
    readNext();
}

void RunComparison::readNext()
{
    SshClient *client = m_controller->client();
    if (m_configurations.size() == m_runs.size()) {
        if (!m_dialog) {
            m_dialog = new RunComparisonDialog(m_window);
            m_dialog->setAttribute(Qt::WA_DeleteOnClose);
        }
        m_dialog->model()->setRuns(m_runs, m_configurations);
        m_dialog->updateSummary();
        m_dialog->show();
        m_dialog->raise();
        Q_EMIT status(tr("Compared %n run(s)", nullptr, int(m_runs.size())));
        Q_EMIT shown();
        return;
    }
    if (!client || !client->isConnected()) {
        Q_EMIT status(tr("Compare: the connection was lost"));
        return;
    }
    const QString run = m_runs.at(m_configurations.size());
    Q_EMIT status(tr("Compare: reading the configuration of %1…").arg(run));
    m_reader = new RunExportReader(client, this);
    RunExportReader *reader = m_reader;
    connect(reader, &RunExportReader::finished, this, [this, reader, run] {
        reader->deleteLater();
        if (reader->error().code != ErrorCode::None) {
            Q_EMIT status(tr("Compare: %1").arg(reader->error().message));
            return;
        }
        m_configurations.append(reader->configuration());
        readNext();
    });
    const QString host = client->route().target.alias.isEmpty() ? client->route().target.hostName : client->route().target.alias;
    reader->start(host, m_controller->remoteRoot(), run, RunExportReader::Configuration);
}

} // namespace rdt
