// Lists the runs under a remote root every few seconds with one RunList scan at a time,
// for the run dashboard. The runs travel as `rdtctl runs --json` objects (RunInfo::toJson),
// the form every reader of runs already understands, so DashboardController deals in the
// dashboard's RunRow alone.
#pragma once

#include "Result.h"
#include "SshClient.h"

#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace rdt {

class RunList;

class RunListWatcher : public QObject {
    Q_OBJECT
public:
    // Often enough that a run started elsewhere shows up soon; each scan is one short command.
    static constexpr int kIntervalMs = 5000;

    // Scans stop when `client` is gone (the dashboard drops the watcher with its connection).
    RunListWatcher(SshClient *client, const QString &remoteRoot, QObject *parent = nullptr);
    ~RunListWatcher() override;

    void start();
    void refreshNow();   // a scan at once (after a stop or a resume), the timer goes on

Q_SIGNALS:
    void listed(const QJsonArray &runs);   // sorted by name
    void failed(const rdt::Error &error);

private:
    void onFinished();

    QPointer<SshClient> m_client;
    RunList *m_list;
    QString m_root;
    QTimer m_timer;
    bool m_again = false;   // refreshNow() during a scan: scan once more after it
};

} // namespace rdt
