// Downloads one checkpoint folder the way `rdtctl pull` does: MD5s on both sides
// (ChecksumComparer), a pull plan (SyncPlan), then SyncRunner's verified, resumable
// transfers; only what differs moves. Progress and cancel for the dashboard's dialog.
#pragma once

#include "Result.h"
#include "TransferProgress.h"

#include <QObject>

#include <memory>

namespace rdt {

class ChecksumCache;
class ChecksumComparer;
class SshClient;
class SyncRunner;

class CheckpointDownload : public QObject {
    Q_OBJECT
public:
    // `client` must outlive the download (the dashboard drops both with the connection).
    explicit CheckpointDownload(SshClient *client, QObject *parent = nullptr);
    ~CheckpointDownload() override;

    // remoteFolder: ROOT/runs/NAME/checkpoint-N; localFolder: where its files go (made when missing).
    void start(const QString &remoteFolder, const QString &localFolder);
    void cancel();
    bool isRunning() const { return m_running; }
    const Error &error() const { return m_error; }   // code None: the folder is here and verified
    int filesMoved() const { return m_filesMoved; }

Q_SIGNALS:
    void stage(const QString &text);                   // "comparing checksums", "3 files to fetch (1.2 GB)"
    void progress(const rdt::TransferProgress &total, const QString &currentFile);
    void finished();

private:
    void onCompared();
    void finish(const Error &error);

    SshClient *m_client;
    std::unique_ptr<ChecksumCache> m_cache;
    std::unique_ptr<ChecksumComparer> m_comparer;
    std::unique_ptr<SyncRunner> m_runner;
    QString m_remote;
    QString m_local;
    bool m_running = false;
    int m_filesMoved = 0;
    Error m_error;
};

} // namespace rdt
