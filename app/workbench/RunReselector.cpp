// Listens to the run list's model (a listing resets it; a new run is inserted) and to the
// dashboard's current run.
#include "RunReselector.h"

#include "DashboardController.h"
#include "RunDashboard.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "SshClient.h"

#include <QSettings>

namespace rdt {

RunReselector::RunReselector(RunDashboard *dashboard, DashboardController *controller, QObject *parent)
    : QObject(parent), m_dashboard(dashboard), m_controller(controller)
{
    RunListModel *model = dashboard->runList()->model();
    connect(model, &QAbstractItemModel::modelReset, this, &RunReselector::onRunsChanged);
    connect(model, &QAbstractItemModel::rowsInserted, this, &RunReselector::onRunsChanged);
    connect(dashboard, &RunDashboard::currentRunChanged, this, &RunReselector::remember);
}

QString RunReselector::settingKey(const QString &host, const QString &root)
{
    // QSettings keys treat '/' as a group separator: the root's slashes would make groups.
    return QStringLiteral("dashboard/lastRun/") + QString::fromLatin1((host + QLatin1Char('|') + root).toUtf8().toBase64(
                                                      QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString RunReselector::currentKey() const
{
    const SshClient *client = m_controller->client();
    if (!client || m_controller->remoteRoot().isEmpty())
        return {};
    return settingKey(client->route().target.displayName(), m_controller->remoteRoot());
}

void RunReselector::remember(const QString &run)
{
    const QString key = currentKey();
    if (!key.isEmpty() && !run.isEmpty())
        QSettings().setValue(key, run);
}

void RunReselector::onRunsChanged()
{
    if (!m_dashboard->currentRun().isEmpty())
        return;
    const RunListModel *model = m_dashboard->runList()->model();
    const QString key = currentKey();
    const QString last = key.isEmpty() ? QString() : QSettings().value(key).toString();
    QString pick;
    if (!last.isEmpty() && model->rowOf(last) >= 0)
        pick = last;
    for (int row = 0; pick.isEmpty() && row < model->rowCount(); ++row) {
        if (model->run(row).state != RunRowState::Running)
            continue;
        for (int other = row + 1; other < model->rowCount(); ++other)
            if (model->run(other).state == RunRowState::Running)
                return;   // more than one: the user picks
        pick = model->run(row).name;
    }
    if (pick.isEmpty())
        return;
    // Not inside the model's own signal: showing a run refreshes the list.
    QMetaObject::invokeMethod(this, [this, pick] {
        if (m_dashboard->currentRun().isEmpty())
            m_controller->showRun(pick);
    }, Qt::QueuedConnection);
}

} // namespace rdt
