// Keeps the run dashboard on a run across restarts: it remembers the run shown for each
// host and remote root (a setting), and when a run listing arrives while no run is shown,
// shows that run again, or else the only running one.
#pragma once

#include <QObject>
#include <QString>

namespace rdt {

class DashboardController;
class RunDashboard;

class RunReselector : public QObject {
    Q_OBJECT
public:
    RunReselector(RunDashboard *dashboard, DashboardController *controller, QObject *parent = nullptr);

    // The setting that holds the run last shown on `host` under `root`.
    static QString settingKey(const QString &host, const QString &root);

private:
    QString currentKey() const;
    void onRunsChanged();
    void remember(const QString &run);

    RunDashboard *m_dashboard;
    DashboardController *m_controller;
};

} // namespace rdt
