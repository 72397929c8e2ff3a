// MD5s of the files of a local folder (recursively) or of one file, hashed in parallel with
// the checksum cache consulted first: the workstation's half of a comparison with a server.
#pragma once

#include "ChecksumProgress.h"
#include "FileChecksum.h"
#include "Result.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <thread>

namespace rdt {

class ChecksumCache;

struct LocalChecksumOptions {
    ChecksumCache *cache = nullptr;   // not owned; null: hash everything
    int maxThreads = 0;               // 0: the core count. One file is never split over threads.
    // A file whose mtime or ctime is this close to the start of its hashing is not cached:
    // file systems stamp times with a coarse clock (a jiffy on Linux, 2 s on FAT), so a second
    // write within the same tick could leave every identity field unchanged.
    qint64 racyWindowMs = 2000;
};

// Usage from the GUI thread:
//   auto *sums = new LocalChecksums(this);
//   sums->setOptions({&cache});
//   connect(sums, &LocalChecksums::progress, ...);   // queued, about 10 per second
//   connect(sums, &LocalChecksums::finished, ...);   // then files() or error()
//   sums->start("/data/libero");
// The listing and hashing run on a thread of its own (which starts up to maxThreads
// hashing threads); signals arrive in the thread that owns the object. Deleting the object
// cancels and joins. Code already off the GUI thread may call compute() directly.
class LocalChecksums : public QObject {
    Q_OBJECT
public:
    using ProgressCallback = std::function<void(const ChecksumProgress &)>;

    explicit LocalChecksums(QObject *parent = nullptr);
    ~LocalChecksums() override;

    void setOptions(const LocalChecksumOptions &options) { m_options = options; }
    void start(const QString &path);
    void cancel() { m_cancel.store(true); }
    bool isRunning() const { return m_running; }

    // After finished(): the files sorted by relative path, or the error (code None: none).
    const FileChecksumList &files() const { return m_files; }
    const Error &error() const { return m_error; }

    // The blocking core. `path` is a folder (every regular file below it; symbolic links and
    // the server-cache folder ".rdt" at the top are skipped, as RemoteChecksums does) or a
    // file (listed under its own name). `progress` is called on the calling thread.
    [[nodiscard]] static Result<FileChecksumList> compute(const QString &path, const LocalChecksumOptions &options,
                                                          const std::atomic<bool> *cancel = nullptr,
                                                          const ProgressCallback &progress = {});

Q_SIGNALS:
    void progress(const rdt::ChecksumProgress &progress);
    void finished();

private:
    void join();

    LocalChecksumOptions m_options;
    std::atomic<bool> m_cancel{false};
    std::thread m_thread;
    bool m_running = false;
    FileChecksumList m_files;
    Error m_error;
};

} // namespace rdt
