// A comparison, a pull plan, a SyncRunner: the same steps as `rdtctl pull`, with the eval
// folder's paths and per-file signals for the results table's video states.
#include "EvalDownloader.h"

#include "ChecksumComparer.h"
#include "EvalCommandRecord.h"
#include "EvalFolder.h"
#include "LocalEvalResults.h"
#include "SyncRunner.h"

#include <QDir>
#include <QHash>

#include <algorithm>

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
    for (Lane &lane : m_lanes) {
        if (lane.runner) {
            disconnect(lane.runner, nullptr, this, nullptr);
            lane.runner->cancel();
            lane.runner->deleteLater();
        }
    }
    m_lanes.clear();
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
    startLanes(comparer->localFiles(), comparer->remoteFiles());
}

// Each lane gets the files to move that fall to it (largest first, to the lane with the
// fewest bytes so far; the results files to the first lane, at its head, so the table fills
// before the videos come) and plans them against the same local and remote checksums.
void EvalDownloader::startLanes(const FileChecksumList &local, const FileChecksumList &remote)
{
    QList<PlannedTransfer> transfers = m_plan.transfers();
    // The files the results table is read from, whichever eval wrote them (LocalEvalResults).
    auto isResults = [](const QString &path) {
        return path == QLatin1String("results.json") || path == QLatin1String(EvalCommandRecord::kFileName)
            || path == QLatin1String(LocalEvalResults::kLiberoResultsFile);
    };
    std::stable_sort(transfers.begin(), transfers.end(), [&](const PlannedTransfer &a, const PlannedTransfer &b) {
        const bool aResults = isResults(a.relativePath);
        const bool bResults = isResults(b.relativePath);
        return aResults != bResults ? aResults : a.bytes > b.bytes;
    });
    const int lanes = int(std::min<qsizetype>(kLanes, transfers.size()));
    std::vector<qint64> laneBytes(size_t(lanes), 0);
    QHash<QString, int> laneOf;
    for (const PlannedTransfer &transfer : transfers) {
        const int lane = int(std::min_element(laneBytes.begin(), laneBytes.end()) - laneBytes.begin());
        laneOf.insert(transfer.relativePath, lane);
        laneBytes[size_t(lane)] += transfer.bytes + 1;
    }
    std::vector<FileChecksumList> localOf(static_cast<size_t>(lanes));
    std::vector<FileChecksumList> remoteOf(static_cast<size_t>(lanes));
    for (const FileChecksum &file : remote) {
        if (laneOf.contains(file.relativePath))
            remoteOf[size_t(laneOf.value(file.relativePath))].append(file);
    }
    for (const FileChecksum &file : local) {
        if (laneOf.contains(file.relativePath))
            localOf[size_t(laneOf.value(file.relativePath))].append(file);
    }
    m_lanes = std::vector<Lane>(size_t(lanes));
    m_laneError = {};
    for (int i = 0; i < lanes; ++i) {
        const SyncPlan plan = SyncPlan::make(FileComparison::compare(localOf[size_t(i)], remoteOf[size_t(i)]),
                                             SyncDirection::Pull, false);
        auto *runner = new SyncRunner(m_client, this);
        m_lanes[size_t(i)].runner = runner;
        runner->setChecksumCache(&m_cache);
        connect(runner, &SyncRunner::fileStarted, this, [this, i](const QString &path, qint64 bytes) {
            Lane &lane = m_lanes[size_t(i)];
            if (!lane.current.isEmpty())
                Q_EMIT fileArrived(lane.current);
            lane.current = path;
            Q_EMIT fileStarted(path, bytes);
        });
        connect(runner, &SyncRunner::progress, this, [this, i](const TransferProgress &total, const QString &) {
            m_lanes[size_t(i)].progress = total;
            onLaneProgress();
        });
        connect(runner, &SyncRunner::finished, this, [this, i] { onLaneFinished(i); });
        runner->run(plan, m_local, m_remote);
    }
}

void EvalDownloader::onLaneProgress()
{
    TransferProgress total;
    QString current;
    for (const Lane &lane : m_lanes) {
        total.bytesDone += lane.progress.bytesDone;
        total.bytesPerSecond += lane.progress.bytesPerSecond;
        if (current.isEmpty() && !lane.done)
            current = lane.current;
    }
    total.bytesTotal = m_plan.bytesToSend();
    if (total.bytesPerSecond > 0)
        total.secondsLeft = double(std::max<qint64>(0, total.bytesTotal - total.bytesDone)) / total.bytesPerSecond;
    Q_EMIT progress(total, current);
}

void EvalDownloader::onLaneFinished(int index)
{
    Lane &lane = m_lanes[size_t(index)];
    SyncRunner *runner = lane.runner;
    if (!runner || lane.done)
        return;
    lane.done = true;
    m_filesMoved += runner->filesDone();
    m_bytesMoved += runner->bytesMoved();
    if (runner->error().code == ErrorCode::None && !lane.current.isEmpty())
        Q_EMIT fileArrived(lane.current);
    if (runner->error().code != ErrorCode::None && m_laneError.code == ErrorCode::None) {
        m_laneError = runner->error();
        // One failure ends the download: the other lanes stop where they are (resumable).
        // A cancelled runner reports its end at once, and the last one ends the download.
        QList<QPointer<SyncRunner>> others;
        for (Lane &other : m_lanes) {
            if (!other.done && other.runner)
                others.append(other.runner);
        }
        for (const QPointer<SyncRunner> &other : others) {
            if (other)
                other->cancel();
        }
        if (m_lanes.empty())
            return;
    }
    for (const Lane &other : m_lanes) {
        if (!other.done)
            return;
    }
    for (Lane &other : m_lanes) {
        if (other.runner)
            other.runner->deleteLater();
    }
    m_lanes.clear();
    finish(m_laneError);
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
