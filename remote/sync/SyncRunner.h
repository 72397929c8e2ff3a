// Carries out a SyncPlan: creates the destination folders, moves each file with a
// FileTransfer (verified, resumable), then deletes what the plan says, reporting the total
// progress (bytes, rate, time left) and the current file, and cancellable throughout.
#pragma once

#include "Result.h"
#include "SyncPlan.h"
#include "TransferProgress.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace rdt {

class ChecksumCache;
class FileTransfer;
class RemoteProcess;
class SshClient;

class SyncRunner : public QObject {
    Q_OBJECT
public:
    explicit SyncRunner(SshClient *client, QObject *parent = nullptr);
    ~SyncRunner() override;

    // localRoot / remoteRoot: the folders the plan's relative paths are under. For a plan
    // between two single files, singleFile is true and the roots are the files themselves.
    void run(const SyncPlan &plan, const QString &localRoot, const QString &remoteRoot, bool singleFile = false);
    // The local checksum cache the comparison that made the plan filled (not owned): pushed
    // files it vouches for are not hashed a second time. Without one, a push reads the
    // default cache file (ChecksumCache::defaultFilePath()) that rdtctl and the GUI share.
    void setChecksumCache(ChecksumCache *cache) { m_cache = cache; }
    void cancel();

    bool isRunning() const { return m_running; }
    const Error &error() const { return m_error; }   // the first failure; code None: all done
    int filesDone() const { return m_filesDone; }
    qint64 bytesMoved() const { return m_bytesMoved; }   // over the network (resumed bytes not counted)

Q_SIGNALS:
    void fileStarted(const QString &relativePath, qint64 bytes);
    void progress(const rdt::TransferProgress &total, const QString &currentFile);
    void finished();

private:
    QString localPathOf(const QString &relativePath) const;
    QString remotePathOf(const QString &relativePath) const;
    void makeFolders();
    void nextFile();
    void deleteExtras();
    void runOnServer(const QList<QByteArray> &argv, const QString &what, std::function<void()> then);
    void finish(const Error &error = {});

    SshClient *m_client;
    ChecksumCache *m_cache = nullptr;
    std::unique_ptr<ChecksumCache> m_ownCache;   // the default cache file, when no cache was given
    SyncPlan m_plan;
    QString m_localRoot;
    QString m_remoteRoot;
    bool m_singleFile = false;
    bool m_running = false;
    int m_next = 0;
    int m_filesDone = 0;
    qint64 m_bytesDone = 0;      // of the files finished so far
    qint64 m_bytesMoved = 0;
    QElapsedTimer m_clock;
    QPointer<FileTransfer> m_transfer;
    QPointer<RemoteProcess> m_command;
    Error m_error;
};

} // namespace rdt
