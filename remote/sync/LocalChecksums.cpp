// LocalChecksums: list, stat, look up the cache, then hash the misses largest first on a
// few threads. Only the coordinating thread calls the progress callback, so a callback
// needs no locking of its own.
#include "LocalChecksums.h"

#include "ChecksumCache.h"
#include "FileIdentity.h"
#include "Md5Hasher.h"
#include "SafeRelativePath.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QPointer>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace rdt {

namespace {

// How often the coordinator reports progress and looks at the caller's cancel flag.
constexpr int kProgressIntervalMs = 100;

struct Job {
    QString absolutePath;
    FileIdentity identity;
    int resultIndex = 0;
};

// Every regular file below `root`, relative paths with '/'. Unreadable folders are errors:
// silently leaving their files out would make them look "missing here" and get overwritten.
Result<QStringList> listFolder(const QString &root, const std::atomic<bool> *cancel)
{
    QStringList files;
    QStringList pending = {QString()};
    while (!pending.isEmpty()) {
        if (cancel && cancel->load())
            return makeError(ErrorCode::Cancelled, QStringLiteral("listing %1: cancelled").arg(root));
        const QString relativeFolder = pending.takeLast();
        const QString folder = relativeFolder.isEmpty() ? root : root + QLatin1Char('/') + relativeFolder;
        QDir dir(folder);
        if (!dir.isReadable())
            return makeError(ErrorCode::LocalIo, QStringLiteral("listing %1: permission denied").arg(folder));
        const QFileInfoList entries = dir.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System
                                                        | QDir::NoDotAndDotDot, QDir::Name);
        for (const QFileInfo &entry : entries) {
            const QString relative = relativeFolder.isEmpty() ? entry.fileName()
                                                              : relativeFolder + QLatin1Char('/') + entry.fileName();
            if (entry.isSymLink())
                continue;
            // The server side refuses such a name in its listings (it could forge a record
            // or a message line), so a push of it could never be verified: say so here.
            if (const QString why = SafeRelativePath::problem(relative); !why.isEmpty())
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("listing %1: the file name %2 has %3; rename it to sync this folder")
                                                                 .arg(root, SafeRelativePath::quoted(relative), why));
            if (entry.isDir()) {
                if (relative != QLatin1String(".rdt"))
                    pending.append(relative);
            } else if (entry.isFile()) {
                files.append(relative);
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

bool isRacy(const FileIdentity &identity, qint64 hashStartNs, qint64 windowMs)
{
    const qint64 limit = hashStartNs - windowMs * 1000000;
    return identity.mtimeNs >= limit || identity.ctimeNs >= limit;
}

// Nanoseconds, like the file times it is compared with: a millisecond clock would call a
// file written earlier within the same millisecond "racy" even with a zero window.
qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace

LocalChecksums::LocalChecksums(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<rdt::ChecksumProgress>();
}

LocalChecksums::~LocalChecksums()
{
    m_cancel.store(true);
    join();
}

void LocalChecksums::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void LocalChecksums::start(const QString &path)
{
    Q_ASSERT(!m_running);
    join();   // a finished earlier run's thread
    m_cancel.store(false);
    m_running = true;
    m_files.clear();
    m_error = Error();
    const LocalChecksumOptions options = m_options;
    // The thread posts into this object; ~LocalChecksums joins it first, and Qt drops the
    // events still queued for a deleted receiver, so nothing reaches a destroyed object.
    m_thread = std::thread([this, path, options] {
        Result<FileChecksumList> result = compute(path, options, &m_cancel, [this](const ChecksumProgress &p) {
            QMetaObject::invokeMethod(this, [this, p] { Q_EMIT progress(p); }, Qt::QueuedConnection);
        });
        QMetaObject::invokeMethod(this, [this, result] {
            m_running = false;
            if (result.ok())
                m_files = result.value();
            else
                m_error = result.error();
            Q_EMIT finished();
        }, Qt::QueuedConnection);
    });
}

Result<FileChecksumList> LocalChecksums::compute(const QString &path, const LocalChecksumOptions &options,
                                                 const std::atomic<bool> *cancel, const ProgressCallback &progress)
{
    const QFileInfo rootInfo(path);
    if (!rootInfo.exists())
        return makeError(ErrorCode::LocalIo, QStringLiteral("hashing %1: no such file or folder").arg(path));
    QString base;
    QStringList relativePaths;
    if (rootInfo.isDir()) {
        base = QDir::cleanPath(rootInfo.absoluteFilePath());
        Result<QStringList> listed = listFolder(base, cancel);
        if (!listed)
            return listed.error();
        relativePaths = listed.value();
    } else if (rootInfo.isFile()) {
        base = QDir::cleanPath(rootInfo.absolutePath());
        relativePaths = {rootInfo.fileName()};
    } else {
        // A FIFO or a device would block the reader or never end.
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("hashing %1: neither a regular file nor a folder").arg(path));
    }

    // A vector, not a QList: the workers write distinct elements at once, which must not
    // touch any shared state (QList's operator[] checks for a detach).
    std::vector<FileChecksum> results;
    results.reserve(size_t(relativePaths.size()));
    std::vector<Job> jobs;
    ChecksumProgress totals;
    totals.filesTotal = int(relativePaths.size());
    for (const QString &relative : relativePaths) {
        const QString absolute = base + QLatin1Char('/') + relative;
        Result<FileIdentity> identity = FileIdentity::of(absolute);
        if (!identity)
            return identity.error();
        FileChecksum file;
        file.relativePath = relative;
        file.size = identity->size;
        file.mtimeNs = identity->mtimeNs;
        if (options.cache) {
            if (std::optional<QString> md5 = options.cache->lookup(absolute, *identity)) {
                file.md5 = *md5;
                ++totals.filesFromCache;
                ++totals.filesDone;
            }
        }
        if (file.md5.isEmpty()) {
            jobs.push_back(Job{absolute, *identity, int(results.size())});
            totals.bytesTotal += identity->size;
        }
        results.push_back(file);
    }
    // Largest first, so that the last thread to finish is not the one that drew the 2.3 GB model.
    std::sort(jobs.begin(), jobs.end(), [](const Job &a, const Job &b) { return a.identity.size > b.identity.size; });

    const int cores = options.maxThreads > 0 ? options.maxThreads : qMax(1, QThread::idealThreadCount());
    const int threadCount = int(qMin<size_t>(size_t(cores), jobs.size()));

    std::atomic<bool> stop{false};          // the caller cancelled, or a worker failed
    std::atomic<size_t> nextJob{0};
    std::atomic<qint64> bytesDone{0};
    std::atomic<int> filesHashed{0};
    std::mutex mutex;
    std::condition_variable wake;
    int running = threadCount;             // guarded by mutex
    std::optional<Error> firstError;       // guarded by mutex

    auto worker = [&] {
        Md5Hasher hasher;
        hasher.setCancelFlag(&stop);
        qint64 reported = 0;
        hasher.setProgress([&](qint64 done) {
            bytesDone.fetch_add(done - reported, std::memory_order_relaxed);
            reported = done;
        });
        for (size_t index = nextJob++; index < jobs.size() && !stop.load(); index = nextJob++) {
            Job &job = jobs[index];   // this thread's alone
            std::optional<Error> failure;
            // A file that changes while we read it gets one more try; twice in a row is an error,
            // since its checksum would describe no version of the file that ever existed.
            for (int attempt = 0; attempt < 2; ++attempt) {
                const qint64 startNs = nowNs();
                reported = 0;
                const qint64 before = bytesDone.load();
                Result<QString> md5 = hasher.hashFile(job.absolutePath);
                if (!md5) {
                    failure = md5.error();
                    break;
                }
                Result<FileIdentity> after = FileIdentity::of(job.absolutePath);
                if (!after) {
                    failure = after.error();
                    break;
                }
                FileChecksum &result = results[size_t(job.resultIndex)];
                if (*after == job.identity || attempt == 1) {
                    if (*after != job.identity) {
                        failure = makeError(ErrorCode::LocalIo,
                                            QStringLiteral("hashing %1: the file kept changing while it was read").arg(job.absolutePath));
                        break;
                    }
                    result.md5 = *md5;
                    if (options.cache && !isRacy(job.identity, startNs, options.racyWindowMs))
                        options.cache->insert(job.absolutePath, job.identity, *md5);
                    break;
                }
                // Changed: hash the new version, and count its bytes once.
                job.identity = *after;
                result.size = after->size;
                result.mtimeNs = after->mtimeNs;
                bytesDone.store(before);
            }
            if (failure) {
                std::lock_guard<std::mutex> lock(mutex);
                if (!firstError)
                    firstError = *failure;
                stop.store(true);
                break;
            }
            ++filesHashed;
        }
        std::lock_guard<std::mutex> lock(mutex);
        --running;
        wake.notify_all();
    };

    std::vector<std::thread> threads;
    threads.reserve(size_t(threadCount));
    for (int i = 0; i < threadCount; ++i)
        threads.emplace_back(worker);

    auto report = [&] {
        if (!progress)
            return;
        ChecksumProgress now = totals;
        now.filesDone = totals.filesDone + filesHashed.load();
        now.bytesDone = qMin(bytesDone.load(), totals.bytesTotal);
        progress(now);
    };
    {
        std::unique_lock<std::mutex> lock(mutex);
        while (running > 0) {
            wake.wait_for(lock, std::chrono::milliseconds(kProgressIntervalMs));
            if (cancel && cancel->load())
                stop.store(true);
            lock.unlock();
            report();
            lock.lock();
        }
    }
    for (std::thread &thread : threads)
        thread.join();

    if (firstError && firstError->code != ErrorCode::Cancelled)
        return *firstError;
    if ((cancel && cancel->load()) || firstError)
        return makeError(ErrorCode::Cancelled, QStringLiteral("hashing %1: cancelled").arg(path));
    report();   // the final figures, also when the work ended before the first interval
    return FileChecksumList(results.begin(), results.end());
}

} // namespace rdt
