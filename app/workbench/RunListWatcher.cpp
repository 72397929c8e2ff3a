// A scan at a time: a slow server never piles up scans behind each other.
#include "RunListWatcher.h"

#include "RunList.h"

namespace rdt {

RunListWatcher::RunListWatcher(SshClient *client, const QString &remoteRoot, QObject *parent)
    : QObject(parent), m_client(client), m_list(new RunList(client, this)), m_root(remoteRoot)
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RunListWatcher::refreshNow);
    connect(m_list, &RunList::finished, this, &RunListWatcher::onFinished);
}

RunListWatcher::~RunListWatcher()
{
    m_list->cancel();
}

void RunListWatcher::start()
{
    m_timer.start();
    refreshNow();
}

void RunListWatcher::refreshNow()
{
    if (!m_client)
        return;
    if (m_list->isRunning()) {
        m_again = true;
        return;
    }
    m_list->refresh(m_root);
}

void RunListWatcher::onFinished()
{
    if (m_list->error().code != ErrorCode::None) {
        Q_EMIT failed(m_list->error());
    } else {
        QJsonArray runs;
        for (const RunInfo &run : m_list->runs())
            runs.append(run.toJson());
        Q_EMIT listed(runs);
    }
    if (m_again) {
        m_again = false;
        refreshNow();
    }
}

} // namespace rdt
