// Keeps an eye on the data-parallel runs the dashboard follows: every few seconds it reads
// one run's rank files and launcher lines (RankErrors) and hands the errors to the notice
// strip and, from the run's CUDA_VISIBLE_DEVICES, which GPU carries which rank to the GPU
// cards. A run is watched from its start event on when its world size is above one.
#pragma once

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <map>

namespace rdt {

class RankErrors;
class SshClient;

class RankWatcher : public QObject {
    Q_OBJECT
public:
    explicit RankWatcher(QObject *parent = nullptr);

    // nullptr: no connection (watching pauses); remoteRoot as DashboardController has it.
    void setClient(SshClient *client, const QString &remoteRoot);
    void watch(const QString &run, int worldSize);
    void setIntervalMs(int milliseconds) { m_timer.setInterval(milliseconds); }
    // Rank r's GPU index from CUDA_VISIBLE_DEVICES ("" or absent: GPU r); -1 for a device
    // named by UUID.
    static int gpuOfRank(const QString &visibleDevices, int rank);

Q_SIGNALS:
    void errorsFound(const QString &run, const QStringList &errors);
    void rolesChanged(const std::map<int, QString> &roles);   // GPU index -> "run R, rank r"

private:
    void poll();
    void polled();

    QPointer<SshClient> m_client;
    QString m_root;
    QMap<QString, int> m_worldSizes;                  // the watched runs
    QMap<QString, std::map<int, QString>> m_roles;    // per run
    QStringList m_queue;                              // runs left in this round
    QPointer<RankErrors> m_reader;
    QTimer m_timer;
};

} // namespace rdt
