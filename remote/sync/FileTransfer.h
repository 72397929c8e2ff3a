// One file to or from the server: written under a temporary name, resumed from a part
// left by an earlier attempt when its bytes match, verified by MD5 on both sides, then
// renamed over the final name with its mode and modification time. Asynchronous over an
// SshClient; the bytes stream on the connection's thread, never through this thread, and
// the local MD5 is computed at the same time on a thread of its own (TransferHasher).
#pragma once

#include "Result.h"
#include "TransferProgress.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace rdt {

class ChecksumCache;
class Md5Context;
class PlainFileSource;
class PublishingFileSink;
class TransferHasher;
class RemoteProcess;
class SshClient;
struct CommandSpec;

class FileTransfer : public QObject {
    Q_OBJECT
public:
    explicit FileTransfer(SshClient *client, QObject *parent = nullptr);
    ~FileTransfer() override;

    // Optional, not owned, outliving the transfer: an upload of a file whose MD5 the cache
    // holds for its current identity skips hashing it again (the identity is checked again
    // after sending, as for any upload).
    void setChecksumCache(ChecksumCache *cache) { m_cache = cache; }

    void upload(const QString &localPath, const QString &remotePath);
    void download(const QString &remotePath, const QString &localPath);
    void cancel();

    bool isRunning() const { return m_running; }
    const Error &error() const { return m_error; }   // code None: done and verified
    QByteArray md5() const { return m_md5; }          // of the verified file
    qint64 resumedFrom() const { return m_resumedFrom; }
    qint64 bytesMoved() const { return m_bytesMoved; }  // what crossed the network this time
    int attempts() const { return m_attempts; }         // > 1: the file changed and was sent again

Q_SIGNALS:
    void progress(const rdt::TransferProgress &progress);
    void finished();

private:
    struct Captured {
        int exitStatus = -1;
        Error error;
        QByteArray out;
        QByteArray err;
    };
    using Continuation = std::function<void(const Captured &)>;

    void begin(bool upload, const QString &localPath, const QString &remotePath);
    void run(const CommandSpec &spec, Continuation then);
    void runScript(const QList<QByteArray> &argv, Continuation then);
    void stopCommands();   // cancels the commands still running, without waiting for them
    void fail(ErrorCode code, const QString &reason);
    void succeed(const QByteArray &md5);
    void reportProgress(qint64 streamed);
    QString what() const;

    void startUpload();
    void uploadPrepared(const Captured &result);
    void sendUpload(qint64 offset, std::shared_ptr<Md5Context> prefix);
    void uploadStreamed(const Captured &result);
    void uploadSent();
    void failUploadWrite(const QString &reason);

    void startDownload();
    void downloadStatted(const Captured &result);
    void receiveDownload(qint64 offset, std::shared_ptr<Md5Context> prefix);
    void downloadDone();

    // m_hasher for this attempt; `prefix` covers the file's first `offset` bytes.
    void makeHasher(const QString &path, qint64 offset, std::shared_ptr<Md5Context> prefix);
    // Starts m_hasher; `then` runs here once it has finished without error.
    void startHasher(bool follow, std::function<void()> then);

    SshClient *m_client;
    ChecksumCache *m_cache = nullptr;
    bool m_upload = true;
    QString m_localPath;
    QString m_remotePath;
    bool m_running = false;
    bool m_cancelled = false;
    Error m_error;
    QByteArray m_md5;
    qint64 m_size = 0;
    qint64 m_offset = 0;
    qint64 m_resumedFrom = 0;
    qint64 m_bytesMoved = 0;
    int m_attempts = 0;
    uint m_mode = 0644;
    qint64 m_mtime = 0;
    QElapsedTimer m_clock;
    QPointer<RemoteProcess> m_process;        // the command now running
    QPointer<RemoteProcess> m_sideProcess;    // the server's MD5 during a download
    std::shared_ptr<PlainFileSource> m_source;
    std::shared_ptr<PublishingFileSink> m_sink;
    std::shared_ptr<TransferHasher> m_hasher;   // the local MD5 of this attempt
    QByteArray m_cachedMd5;                     // instead of m_hasher: the cache's MD5 of the file
    QByteArray m_uploadOutput;                  // what the upload's receiving command printed
    QByteArray m_remoteMd5;
    bool m_streamDone = false;
    bool m_remoteMd5Done = false;
    bool m_localMd5Done = false;
    Error m_sideError;
    std::shared_ptr<bool> m_alive;            // lets pool-thread callbacks see we are gone
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::TransferProgress)
