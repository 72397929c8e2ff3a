// The steps of SyncCommands' transfer() for a pull of a folder, driven by signals instead
// of nested event loops so the GUI thread never waits.
#include "CheckpointDownload.h"

#include "ChecksumCache.h"
#include "ChecksumComparer.h"
#include "SyncPlan.h"
#include "SyncRunner.h"

namespace rdt {

CheckpointDownload::CheckpointDownload(SshClient *client, QObject *parent) : QObject(parent), m_client(client)
{
}

CheckpointDownload::~CheckpointDownload()
{
    cancel();
}

void CheckpointDownload::start(const QString &remoteFolder, const QString &localFolder)
{
    cancel();
    m_remote = remoteFolder;
    m_local = localFolder;
    m_error = {};
    m_filesMoved = 0;
    m_running = true;
    // The cache shared with rdtctl: files downloaded before are not hashed again.
    m_cache = std::make_unique<ChecksumCache>();
    (void)m_cache->load();   // unreadable only means hashing again
    m_comparer = std::make_unique<ChecksumComparer>(m_client);
    m_comparer->setLocalOptions({m_cache.get()});
    connect(m_comparer.get(), &ChecksumComparer::finished, this, &CheckpointDownload::onCompared);
    Q_EMIT stage(tr("Comparing checksums of %1 with %2…").arg(remoteFolder, localFolder));
    m_comparer->start(localFolder, remoteFolder);
}

void CheckpointDownload::onCompared()
{
    if (m_comparer->error().code != ErrorCode::None)
        return finish(m_comparer->error());
    if (m_comparer->remoteRootKind() != RemoteRootKind::Folder)
        return finish(makeError(ErrorCode::RemoteFailed, tr("download %1: no such folder on the server").arg(m_remote)));
    const SyncPlan plan = SyncPlan::make(m_comparer->comparison(), SyncDirection::Pull, false);
    Q_EMIT stage(plan.summary());
    if (plan.isEmpty())
        return finish({});
    m_runner = std::make_unique<SyncRunner>(m_client);
    m_runner->setChecksumCache(m_cache.get());
    connect(m_runner.get(), &SyncRunner::progress, this, &CheckpointDownload::progress);
    connect(m_runner.get(), &SyncRunner::finished, this, [this] {
        m_filesMoved = m_runner->filesDone();
        finish(m_runner->error());
    });
    m_runner->run(plan, m_local, m_remote);
}

void CheckpointDownload::cancel()
{
    if (!m_running)
        return;
    if (m_comparer)
        disconnect(m_comparer.get(), nullptr, this, nullptr);
    if (m_runner)
        disconnect(m_runner.get(), nullptr, this, nullptr);
    if (m_comparer && m_comparer->isRunning())
        m_comparer->cancel();
    if (m_runner && m_runner->isRunning())
        m_runner->cancel();
    m_running = false;
    m_error = makeError(ErrorCode::Cancelled, tr("download of %1 cancelled").arg(m_remote));
}

void CheckpointDownload::finish(const Error &error)
{
    m_running = false;
    m_error = error;
    Q_EMIT finished();
}

} // namespace rdt
