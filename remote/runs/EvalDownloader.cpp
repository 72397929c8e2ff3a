// A comparison, a pull plan, a SyncRunner: the same steps as `rdtctl pull`, with the eval
// folder's paths and per-file signals for the results table's video states.
#include "EvalDownloader.h"

#include "ChecksumComparer.h"
#include "EvalFolder.h"
#include "SyncRunner.h"

#include <QDir>

namespace rdt {

EvalDownloader::EvalDownloader(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

EvalDownloader::~EvalDownloader() = default;

void EvalDownloader::start(const QString &remoteRoot, const QString &runName, const QString &checkpoint,
                           const QString &localFolder)
{
    cancel();
    m_plan = {};
    m_error = {};
    m_filesMoved = 0;
    m_bytesMoved = 0;
    m_current.clear();
    m_running = true;
    m_what = QStringLiteral("download the eval of run %1 %2").arg(runName, checkpoint);
    m_local = localFolder;
    m_remote = EvalFolder::folder(remoteRoot, runName, checkpoint);
    if (Result<void> names = EvalFolder::check(runName, checkpoint); !names) {
        m_error = makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(m_what, names.error().message));
        QMetaObject::invokeMethod(this, [this] { finish(m_error); }, Qt::QueuedConnection);
        return;
    }
    if (!QDir().mkpath(localFolder)) {
        m_error = makeError(ErrorCode::LocalIo, QStringLiteral("%1: cannot create %2").arg(m_what, localFolder));
        QMetaObject::invokeMethod(this, [this] { finish(m_error); }, Qt::QueuedConnection);
        return;
    }
    (void)m_cache.load();   // a missing or unreadable cache only means hashing again
    m_comparer = new ChecksumComparer(m_client, this);
    m_comparer->setLocalOptions({&m_cache});
    connect(m_comparer, &ChecksumComparer::finished, this, &EvalDownloader::onCompared);
    m_comparer->start(localFolder, m_remote);
}

void EvalDownloader::cancel()
{
    if (m_comparer) {
        m_comparer->cancel();
        m_comparer->deleteLater();
        m_comparer = nullptr;
    }
    if (m_runner) {
        m_runner->cancel();
        m_runner->deleteLater();
        m_runner = nullptr;
    }
    m_running = false;
}

void EvalDownloader::onCompared()
{
    ChecksumComparer *comparer = m_comparer;
    m_comparer = nullptr;
    if (!comparer)
        return;
    comparer->deleteLater();
    if (comparer->error().code != ErrorCode::None)
        return finish(comparer->error());
    if (comparer->remoteRootKind() != RemoteRootKind::Folder)
        return finish(makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: %2 is not there on the server")
                                                             .arg(m_what, m_remote)));
    m_plan = SyncPlan::make(comparer->comparison(), SyncDirection::Pull, false);
    Q_EMIT planned(m_plan);
    if (m_plan.transfers().isEmpty())
        return finish();
    m_runner = new SyncRunner(m_client, this);
    m_runner->setChecksumCache(&m_cache);
    connect(m_runner, &SyncRunner::fileStarted, this, [this](const QString &path, qint64 bytes) {
        if (!m_current.isEmpty())
            Q_EMIT fileArrived(m_current);
        m_current = path;
        Q_EMIT fileStarted(path, bytes);
    });
    connect(m_runner, &SyncRunner::progress, this, &EvalDownloader::progress);
    connect(m_runner, &SyncRunner::finished, this, &EvalDownloader::onSynced);
    m_runner->run(m_plan, m_local, m_remote);
}

void EvalDownloader::onSynced()
{
    SyncRunner *runner = m_runner;
    m_runner = nullptr;
    if (!runner)
        return;
    runner->deleteLater();
    m_filesMoved = runner->filesDone();
    m_bytesMoved = runner->bytesMoved();
    if (runner->error().code == ErrorCode::None && !m_current.isEmpty())
        Q_EMIT fileArrived(m_current);
    m_current.clear();
    finish(runner->error());
}

void EvalDownloader::finish(const Error &error)
{
    m_error = error;
    m_running = false;
    if (m_cache.isModified())
        (void)m_cache.save();
    Q_EMIT finished();
}

} // namespace rdt
