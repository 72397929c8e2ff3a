// One RankErrors at a time, round-robin over the watched runs.
#include "RankWatcher.h"

#include "RankErrors.h"
#include "SshClient.h"

namespace rdt {
namespace {

// A worker's death is worth seeing within seconds; the command is one small grep.
constexpr int kIntervalMs = 5000;

} // namespace

RankWatcher::RankWatcher(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RankWatcher::poll);
}

void RankWatcher::setClient(SshClient *client, const QString &remoteRoot)
{
    if (m_reader) {
        disconnect(m_reader, nullptr, this, nullptr);
        m_reader->cancel();
        m_reader->deleteLater();
    }
    m_queue.clear();
    m_client = client;
    m_root = remoteRoot;
    if (m_client && !m_worldSizes.isEmpty())
        m_timer.start();
    else
        m_timer.stop();
}

void RankWatcher::watch(const QString &run, int worldSize)
{
    if (worldSize <= 1) {
        m_worldSizes.remove(run);
        return;
    }
    m_worldSizes.insert(run, worldSize);
    if (m_client && !m_timer.isActive())
        m_timer.start();
    QMetaObject::invokeMethod(this, &RankWatcher::poll, Qt::QueuedConnection);   // at once, not in 5 s
}

int RankWatcher::gpuOfRank(const QString &visibleDevices, int rank)
{
    if (visibleDevices.trimmed().isEmpty())
        return rank;
    const QStringList devices = visibleDevices.split(QLatin1Char(','));
    if (rank >= devices.size())
        return -1;
    bool ok = false;
    const int index = devices.at(rank).trimmed().toInt(&ok);
    return ok ? index : -1;
}

void RankWatcher::poll()
{
    if (!m_client || !m_client->isConnected() || m_reader)
        return;
    if (m_queue.isEmpty())
        m_queue = m_worldSizes.keys();
    if (m_queue.isEmpty())
        return;
    m_reader = new RankErrors(m_client, this);
    connect(m_reader, &RankErrors::finished, this, &RankWatcher::polled);
    m_reader->start(m_root, m_queue.takeFirst());
}

void RankWatcher::polled()
{
    RankErrors *reader = m_reader;
    m_reader = nullptr;
    reader->deleteLater();
    if (reader->error().code != ErrorCode::None)
        return;   // the next round tries again; a lost connection arrives elsewhere
    const QString run = reader->run();
    Q_EMIT errorsFound(run, reader->errors());
    std::map<int, QString> runRoles;
    for (int rank = 0; rank < m_worldSizes.value(run); ++rank) {
        const int gpu = gpuOfRank(reader->visibleDevices().value_or(QString()), rank);
        if (gpu >= 0)
            runRoles[gpu] = tr("run %1, rank %2").arg(run).arg(rank);
    }
    m_roles[run] = runRoles;
    std::map<int, QString> all;
    for (const auto &roles : std::as_const(m_roles))
        for (const auto &[gpu, role] : roles)
            all[gpu] = all.count(gpu) ? all[gpu] + QStringLiteral("; ") + role : role;
    Q_EMIT rolesChanged(all);
}

} // namespace rdt
