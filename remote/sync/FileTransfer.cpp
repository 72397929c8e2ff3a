// The transfer sequences. Upload: prepare (folder, part, free space) -> maybe hash the
// local prefix to resume -> stream through tee|md5sum while a local thread hashes the file
// -> compare MD5s -> chmod, touch, mv. Download: stat -> maybe compare prefixes to resume
// -> stream into the local part while the server hashes the whole file and a local thread
// hashes the part right behind the writes -> compare -> fsync, utimes, rename.
#include "FileTransfer.h"

#include "ChecksumCache.h"
#include "CommandSpec.h"
#include "HeaderSkippingOutput.h"
#include "LocalPrefixHasher.h"
#include "Md5Context.h"
#include "RemoteProcess.h"
#include "SshClient.h"
#include "TransferHasher.h"
#include "TransferScripts.h"
#include "TransferStreams.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace rdt {
namespace {

// A file that changes while it is sent is sent again, but not forever (a log being
// written to would never settle).
constexpr int kMaxAttempts = 3;

QString localPartPath(const QString &finalPath)
{
    return TransferScripts::partPath(QFileInfo(finalPath).absoluteFilePath());
}

QString humanBytes(qint64 bytes)
{
    const double value = double(bytes);
    if (value >= 1024.0 * 1024 * 1024)
        return QStringLiteral("%1 GiB").arg(value / (1024.0 * 1024 * 1024), 0, 'f', 1);
    if (value >= 1024.0 * 1024)
        return QStringLiteral("%1 MiB").arg(value / (1024.0 * 1024), 0, 'f', 1);
    return QStringLiteral("%1 KiB").arg(value / 1024.0, 0, 'f', 0);
}

} // namespace

FileTransfer::FileTransfer(SshClient *client, QObject *parent)
    : QObject(parent), m_client(client), m_alive(std::make_shared<bool>(true))
{
    qRegisterMetaType<rdt::TransferProgress>();
}

FileTransfer::~FileTransfer()
{
    *m_alive = false;
    cancel();
}


QString FileTransfer::what() const
{
    const QString host = m_client->route().target.displayName();
    return m_upload ? QStringLiteral("upload %1 to %2:%3").arg(m_localPath, host, m_remotePath)
                    : QStringLiteral("download %1:%2 to %3").arg(host, m_remotePath, m_localPath);
}

void FileTransfer::upload(const QString &localPath, const QString &remotePath)
{
    begin(true, localPath, remotePath);
    startUpload();
}

void FileTransfer::download(const QString &remotePath, const QString &localPath)
{
    begin(false, localPath, remotePath);
    startDownload();
}

void FileTransfer::begin(bool upload, const QString &localPath, const QString &remotePath)
{
    m_upload = upload;
    m_localPath = localPath;
    m_remotePath = remotePath;
    m_attempts = 0;
    m_running = true;
    m_cancelled = false;
    m_error = {};
}

void FileTransfer::cancel()
{
    if (!m_running)
        return;
    m_cancelled = true;
    stopCommands();
    fail(ErrorCode::Cancelled, QStringLiteral("cancelled after %1 of %2; run it again to resume")
                                   .arg(humanBytes(m_offset + m_bytesMoved), humanBytes(m_size)));
}

void FileTransfer::stopCommands()
{
    for (QPointer<RemoteProcess> *process : {&m_process, &m_sideProcess}) {
        if (*process) {
            disconnect(*process, nullptr, this, nullptr);
            (*process)->cancel();
            *process = nullptr;
        }
    }
}

void FileTransfer::run(const CommandSpec &spec, Continuation then)
{
    auto captured = std::make_shared<Captured>();
    RemoteProcess *process = m_client->start(spec);
    m_process = process;
    connect(process, &RemoteProcess::standardOutput, this, [captured](const QByteArray &data) { captured->out += data; });
    connect(process, &RemoteProcess::standardError, this, [captured](const QByteArray &data) { captured->err += data; });
    connect(process, &RemoteProcess::progress, this, [this](qint64 sent, qint64 received) {
        reportProgress(m_upload ? sent : received);
    });
    connect(process, &RemoteProcess::finished, this, [this, process, captured, then] {
        captured->exitStatus = process->exitStatus();
        captured->error = process->error();
        process->deleteLater();
        if (m_process == process)
            m_process = nullptr;
        if (!m_cancelled)
            then(*captured);
    });
}

void FileTransfer::runScript(const QList<QByteArray> &argv, Continuation then)
{
    CommandSpec spec;
    spec.argv = argv;
    run(spec, std::move(then));
}

void FileTransfer::fail(ErrorCode code, const QString &reason)
{
    if (!m_running)
        return;
    m_running = false;
    // The server's commands of this attempt end with it: above all the MD5 of the whole
    // file, which would otherwise read a multi-gigabyte file to the end for nobody.
    stopCommands();
    m_source.reset();
    m_sink.reset();
    m_hasher.reset();
    m_error = makeError(code, QStringLiteral("%1: %2").arg(what(), reason));
    Q_EMIT finished();
}

void FileTransfer::succeed(const QByteArray &md5)
{
    m_running = false;
    m_md5 = md5;
    m_source.reset();
    m_sink.reset();
    m_hasher.reset();
    TransferProgress done;
    done.bytesDone = done.bytesTotal = m_size;
    done.secondsLeft = 0;
    const double seconds = m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0;
    done.bytesPerSecond = seconds > 0 ? m_bytesMoved / seconds : 0;
    Q_EMIT progress(done);
    Q_EMIT finished();
}

void FileTransfer::reportProgress(qint64 streamed)
{
    m_bytesMoved = streamed;
    TransferProgress progress;
    progress.bytesTotal = m_size;
    progress.bytesDone = m_offset + streamed;
    const double seconds = m_clock.elapsed() / 1000.0;
    if (seconds > 0.2 && streamed > 0) {
        progress.bytesPerSecond = streamed / seconds;
        progress.secondsLeft = (m_size - progress.bytesDone) / progress.bytesPerSecond;
    }
    Q_EMIT this->progress(progress);
}

void FileTransfer::makeHasher(const QString &path, qint64 offset, std::shared_ptr<Md5Context> prefix)
{
    m_localMd5Done = false;
    m_hasher = std::make_shared<TransferHasher>(path, offset, std::move(*prefix), m_upload && offset > 0);
}

void FileTransfer::startHasher(bool follow, std::function<void()> then)
{
    QPointer<FileTransfer> self = this;
    // A weak reference, not the address: a newer attempt's hasher may be allocated where
    // a finished one was, and its result must not be taken for the new one's.
    std::weak_ptr<TransferHasher> weak = m_hasher;
    m_hasher->start(follow ? TransferHasher::Mode::FollowWriter : TransferHasher::Mode::WholeFile, [self, weak, then] {
        QMetaObject::invokeMethod(self, [self, weak, then] {
            const std::shared_ptr<TransferHasher> hasher = weak.lock();
            // None after a failure, or a newer attempt's: this result is stale.
            if (!self || !hasher || self->m_hasher != hasher || !self->m_running)
                return;
            if (!hasher->error().isEmpty()) {
                self->stopCommands();   // the stream is of no use without its MD5
                self->fail(ErrorCode::LocalIo, hasher->error());
                return;
            }
            self->m_localMd5Done = true;
            then();
        }, Qt::QueuedConnection);
    });
}

// ---- upload ----

void FileTransfer::startUpload()
{
    ++m_attempts;
    m_offset = 0;
    m_bytesMoved = 0;
    struct stat info {};
    if (stat(QFile::encodeName(m_localPath).constData(), &info) != 0) {
        fail(ErrorCode::LocalIo, QString::fromLocal8Bit(strerror(errno)));
        return;
    }
    if (!S_ISREG(info.st_mode)) {
        fail(ErrorCode::InvalidArgument, QStringLiteral("not a regular file"));
        return;
    }
    m_size = info.st_size;
    m_mode = info.st_mode & 07777;
    m_mtime = info.st_mtim.tv_sec;
    runScript(TransferScripts::prepareUpload(m_remotePath, m_size),
              [this](const Captured &result) { uploadPrepared(result); });
}

void FileTransfer::uploadPrepared(const Captured &result)
{
    if (result.error.code != ErrorCode::None) {
        fail(result.error.code, result.error.message);
        return;
    }
    const QHash<QByteArray, QByteArray> values = TransferScripts::answerLines(result.out);
    const QByteArray dir = values.value("dir");
    const QString folder = QFileInfo(m_remotePath).path();
    if (dir == "missing") {
        fail(ErrorCode::RemoteFailed, QStringLiteral("the folder %1 does not exist on the server").arg(folder));
        return;
    }
    if (dir == "readonly") {
        fail(ErrorCode::RemoteFailed, QStringLiteral("permission denied: the folder %1 is not writable").arg(folder));
        return;
    }
    if (dir != "ok") {
        fail(ErrorCode::Protocol, QStringLiteral("unexpected answer from the server: %1%2")
                                      .arg(QString::fromUtf8(result.out.left(200)), QString::fromUtf8(result.err.left(200))));
        return;
    }
    if (values.value("final") == "dir") {
        fail(ErrorCode::RemoteFailed, QStringLiteral("the destination %1 is a folder on the server, not a file").arg(m_remotePath));
        return;
    }
    const QList<QByteArray> part = values.value("part").split(' ');
    const qint64 partSize = part.value(0).toLongLong();
    const qint64 freeBytes = values.value("free").toLongLong() * 1024;
    const qint64 needed = m_size - qMax<qint64>(0, qMin(partSize, m_size));
    if (values.contains("free") && freeBytes < needed) {
        fail(ErrorCode::RemoteFailed, QStringLiteral("no space left on the server: %1 needed, %2 free in %3")
                                          .arg(humanBytes(needed), humanBytes(freeBytes), folder));
        return;
    }
    if (partSize > 0 && partSize <= m_size && part.size() >= 2) {
        const QByteArray remotePrefixMd5 = part.at(1);
        LocalPrefixHasher::start(this, m_alive, m_localPath, partSize,
                                 [this, partSize, remotePrefixMd5](Result<std::shared_ptr<Md5Context>> local) {
            if (!local) {
                fail(local.error().code, local.error().message);
                return;
            }
            // A part whose bytes differ from ours is not a prefix of this file: start over.
            if (local.value()->hexDigest() == remotePrefixMd5)
                sendUpload(partSize, local.value());
            else
                sendUpload(0, std::make_shared<Md5Context>());
        });
        return;
    }
    sendUpload(0, std::make_shared<Md5Context>());
}

void FileTransfer::sendUpload(qint64 offset, std::shared_ptr<Md5Context> prefix)
{
    m_offset = offset;
    m_resumedFrom = offset;
    m_source = std::make_shared<PlainFileSource>(m_localPath, offset);
    QString error;
    if (!m_source->open(&error)) {
        fail(ErrorCode::LocalIo, error);
        return;
    }
    m_streamDone = false;
    m_uploadOutput.clear();
    m_cachedMd5.clear();
    // A whole file the cache vouches for needs no hashing: the server's MD5 of what it
    // received is compared with the cached one, and the identity is checked after sending.
    // A resumed upload still hashes, for the MD5 of the bytes from the offset on.
    if (m_cache && offset == 0) {
        if (const std::optional<QString> md5 = m_cache->lookup(m_localPath, m_source->identity()))
            m_cachedMd5 = md5->toLatin1();
    }
    if (m_cachedMd5.isEmpty()) {
        makeHasher(m_localPath, offset, std::move(prefix));
        startHasher(false, [this] {
            if (m_streamDone)
                uploadSent();
        });
    } else {
        m_hasher.reset();
        m_localMd5Done = true;
    }
    CommandSpec spec;
    spec.argv = TransferScripts::receiveUpload(m_remotePath, offset);
    spec.input = m_source;
    m_clock.start();
    run(spec, [this](const Captured &result) { uploadStreamed(result); });
}

void FileTransfer::uploadStreamed(const Captured &result)
{
    if (result.error.code == ErrorCode::ConnectionLost || result.error.code == ErrorCode::Timeout) {
        fail(ErrorCode::ConnectionLost, QStringLiteral("%1 after %2 of %3; the transfer can be resumed: run it again")
                                            .arg(result.error.message, humanBytes(m_offset + m_bytesMoved), humanBytes(m_size)));
        return;
    }
    if (result.error.code != ErrorCode::None) {
        fail(result.error.code, result.error.message);
        return;
    }
    // stderr: tee's complaint if any, then our status line.
    const QByteArray err = result.err.trimmed();
    const int statusAt = err.lastIndexOf("rdt-write-status ");
    const QByteArray status = statusAt >= 0 ? err.mid(statusAt + 17).trimmed() : QByteArray();
    if (status == "restart") {
        // The part shrank or vanished since it was checked (another upload of the same
        // file?): it is no prefix of ours any more. Send the whole file.
        m_hasher.reset();
        sendUpload(0, std::make_shared<Md5Context>());
        return;
    }
    if (status != "0") {
        m_hasher.reset();   // its MD5 is of no use now
        failUploadWrite(QString::fromUtf8(statusAt >= 0 ? err.left(statusAt).trimmed() : err));
        return;
    }
    m_uploadOutput = result.out;
    m_streamDone = true;
    if (m_localMd5Done)
        uploadSent();
}

// Both the stream and the local hash are done.
void FileTransfer::uploadSent()
{
    // After the hash too: a file that changed while it was sent or hashed is sent again.
    if (!m_source->unchangedSinceOpen()) {
        if (m_attempts < kMaxAttempts) {
            startUpload();   // the local file changed while it was read: send it again
            return;
        }
        fail(ErrorCode::LocalIo, QStringLiteral("the local file kept changing while it was sent (%1 attempts)").arg(m_attempts));
        return;
    }
    // The server hashed its whole part (the resumed prefix read again, then the new bytes):
    // it must equal the whole source, or the file is not ours.
    const QByteArray remoteMd5 = TransferScripts::md5Of(m_uploadOutput);
    const QByteArray sentMd5 = m_hasher ? m_hasher->md5() : m_cachedMd5;
    if (remoteMd5 != sentMd5 && m_resumedFrom > 0 && m_attempts < kMaxAttempts) {
        // The prefix changed after it was checked: start again from nothing.
        runScript(TransferScripts::discardPart(m_remotePath), [this](const Captured &) { startUpload(); });
        return;
    }
    if (remoteMd5 != sentMd5) {
        runScript(TransferScripts::discardPart(m_remotePath), [](const Captured &) {});
        fail(ErrorCode::RemoteFailed, QStringLiteral("checksum mismatch: the server received MD5 %1, we sent %2; the bad copy was removed")
                                          .arg(QString::fromLatin1(remoteMd5), QString::fromLatin1(sentMd5)));
        return;
    }
    const QByteArray fileMd5 = m_hasher ? m_hasher->md5() : m_cachedMd5;
    runScript(TransferScripts::finishUpload(m_remotePath, m_mode, m_mtime), [this, fileMd5](const Captured &done) {
        if (done.error.code != ErrorCode::None || done.exitStatus != 0) {
            fail(done.error.code != ErrorCode::None ? done.error.code : ErrorCode::RemoteFailed,
                 QStringLiteral("renaming into place failed: %1")
                     .arg(done.error.code != ErrorCode::None ? done.error.message : QString::fromUtf8(done.err.trimmed())));
            return;
        }
        succeed(fileMd5);
    });
}

void FileTransfer::failUploadWrite(const QString &reason)
{
    const QString cause = reason.isEmpty() ? QStringLiteral("writing on the server failed") : reason;
    // Say how much room there is: "no space left" alone does not tell what to free.
    runScript(TransferScripts::freeSpace(m_remotePath), [this, cause](const Captured &free) {
        const QByteArray answer = TransferScripts::answer(free.out).value_or(QByteArray()).trimmed();
        const qint64 kib = answer.toLongLong();
        QString message = cause;
        if (free.exitStatus == 0 && !answer.isEmpty())
            message += QStringLiteral(" (%1 free in %2)").arg(humanBytes(kib * 1024), QFileInfo(m_remotePath).path());
        message += QStringLiteral("; the part written so far is kept for resuming");
        fail(ErrorCode::RemoteFailed, message);
    });
}

// ---- download ----

void FileTransfer::startDownload()
{
    ++m_attempts;
    m_offset = 0;
    m_bytesMoved = 0;
    const QFileInfo target(m_localPath);
    if (target.isDir() && !target.isSymLink()) {
        fail(ErrorCode::LocalIo, QStringLiteral("the destination %1 is a folder, not a file").arg(m_localPath));
        return;
    }
    if (!QFileInfo(target.absolutePath()).isDir()) {
        fail(ErrorCode::LocalIo, QStringLiteral("the local folder %1 does not exist").arg(target.absolutePath()));
        return;
    }
    runScript(TransferScripts::statFile(m_remotePath), [this](const Captured &result) { downloadStatted(result); });
}

void FileTransfer::downloadStatted(const Captured &result)
{
    if (result.error.code != ErrorCode::None) {
        fail(result.error.code, result.error.message);
        return;
    }
    const QList<QByteArray> fields = TransferScripts::answer(result.out).value_or(QByteArray()).trimmed().split(' ');
    if (fields.value(0) == "missing") {
        fail(ErrorCode::RemoteFailed, QStringLiteral("no such file on the server"));
        return;
    }
    if (fields.size() != 3 || result.exitStatus != 0) {
        fail(ErrorCode::RemoteFailed, QStringLiteral("cannot read the file's size: %1").arg(QString::fromUtf8(result.err.trimmed())));
        return;
    }
    m_size = fields[0].toLongLong();
    m_mtime = fields[1].toLongLong();
    m_mode = fields[2].toUInt(nullptr, 8);

    const QString part = localPartPath(m_localPath);
    const qint64 partSize = QFileInfo(part).exists() ? QFileInfo(part).size() : 0;
    struct statvfs volume {};
    if (statvfs(QFile::encodeName(QFileInfo(m_localPath).absolutePath()).constData(), &volume) == 0) {
        const qint64 freeBytes = qint64(volume.f_bavail) * qint64(volume.f_frsize);
        const qint64 needed = m_size - qMin(partSize, m_size);
        if (freeBytes < needed) {
            fail(ErrorCode::LocalIo, QStringLiteral("no space left here: %1 needed, %2 free in %3")
                                         .arg(humanBytes(needed), humanBytes(freeBytes), QFileInfo(m_localPath).absolutePath()));
            return;
        }
    }
    if (partSize <= 0 || partSize > m_size) {
        receiveDownload(0, std::make_shared<Md5Context>());
        return;
    }
    // Resume only if the part holds the server file's first bytes: hash both prefixes
    // at the same time.
    auto remoteMd5 = std::make_shared<QByteArray>();
    auto localMd5 = std::make_shared<std::shared_ptr<Md5Context>>();
    auto pending = std::make_shared<int>(2);
    auto decide = [this, partSize, remoteMd5, localMd5, pending] {
        if (--*pending > 0)
            return;
        if (*localMd5 && !remoteMd5->isEmpty() && (*localMd5)->hexDigest() == *remoteMd5)
            receiveDownload(partSize, *localMd5);
        else
            receiveDownload(0, std::make_shared<Md5Context>());
    };
    runScript(TransferScripts::md5Prefix(m_remotePath, partSize), [remoteMd5, decide](const Captured &r) {
        if (r.error.code == ErrorCode::None && r.exitStatus == 0)
            *remoteMd5 = TransferScripts::md5Of(r.out);
        decide();
    });
    LocalPrefixHasher::start(this, m_alive, part, partSize,
                             [localMd5, decide](Result<std::shared_ptr<Md5Context>> local) {
        if (local)
            *localMd5 = local.value();
        decide();
    });
}

void FileTransfer::receiveDownload(qint64 offset, std::shared_ptr<Md5Context> prefix)
{
    m_offset = offset;
    m_resumedFrom = offset;
    m_streamDone = false;
    m_remoteMd5Done = false;
    m_remoteMd5.clear();
    m_sideError = {};
    const QString part = localPartPath(m_localPath);
    makeHasher(part, offset, std::move(prefix));
    m_sink = std::make_shared<PublishingFileSink>(part, offset, m_hasher);
    QString error;
    if (!m_sink->open(&error)) {
        fail(ErrorCode::LocalIo, error);
        return;
    }
    // After open(): the part exists (and has its offset's length) when the hasher opens it.
    startHasher(true, [this] {
        if (m_streamDone && m_remoteMd5Done)
            downloadDone();
    });
    m_clock.start();

    // The server hashes the whole file on a second channel while the bytes stream.
    CommandSpec hashSpec;
    hashSpec.argv = TransferScripts::md5Prefix(m_remotePath, -1);
    auto hashOut = std::make_shared<QByteArray>();
    RemoteProcess *hasher = m_client->start(hashSpec);
    m_sideProcess = hasher;
    connect(hasher, &RemoteProcess::standardOutput, this, [hashOut](const QByteArray &data) { *hashOut += data; });
    connect(hasher, &RemoteProcess::finished, this, [this, hasher, hashOut] {
        m_remoteMd5Done = true;
        if (hasher->error().code != ErrorCode::None)
            m_sideError = hasher->error();
        else if (hasher->exitStatus() != 0)
            m_sideError = makeError(ErrorCode::RemoteFailed, QStringLiteral("md5sum on the server failed"));
        m_remoteMd5 = TransferScripts::md5Of(*hashOut);
        hasher->deleteLater();
        if (!m_cancelled && m_streamDone && m_localMd5Done)
            downloadDone();
    });

    CommandSpec spec;
    spec.argv = TransferScripts::sendFrom(m_remotePath, offset);
    auto framed = std::make_shared<HeaderSkippingOutput>(TransferScripts::headerTag(), m_sink);
    spec.output = framed;
    run(spec, [this, framed](const Captured &result) {
        if (result.error.code == ErrorCode::ConnectionLost || result.error.code == ErrorCode::Timeout) {
            QString ignored;
            (void)m_sink->finish(&ignored);   // keep what arrived for the next attempt
            fail(ErrorCode::ConnectionLost, QStringLiteral("%1 after %2 of %3; the transfer can be resumed: run it again")
                                                .arg(result.error.message, humanBytes(m_offset + m_bytesMoved), humanBytes(m_size)));
            return;
        }
        if (result.error.code != ErrorCode::None) {
            fail(result.error.code, result.error.message);
            return;
        }
        if (result.exitStatus != 0) {
            fail(ErrorCode::RemoteFailed, QStringLiteral("reading on the server failed: %1").arg(QString::fromUtf8(result.err.trimmed())));
            return;
        }
        if (!framed->headerSeen()) {
            fail(ErrorCode::Protocol, QStringLiteral("the server sent no transfer header; its login shell may have "
                                                     "exited before running the command"));
            return;
        }
        QString error;
        if (!m_sink->finish(&error)) {   // also tells the hasher where the file ends
            fail(ErrorCode::LocalIo, error);
            return;
        }
        m_streamDone = true;
        if (m_remoteMd5Done && m_localMd5Done)
            downloadDone();
    });
}

void FileTransfer::downloadDone()
{
    if (m_sideError.code != ErrorCode::None) {
        fail(m_sideError.code, m_sideError.message);
        return;
    }
    const QString part = localPartPath(m_localPath);
    const QByteArray localMd5 = m_hasher->md5();
    if (localMd5 != m_remoteMd5) {
        QFile::remove(part);
        if (m_attempts < kMaxAttempts) {
            startDownload();   // the server's file may have changed while we read it
            return;
        }
        fail(ErrorCode::RemoteFailed, QStringLiteral("checksum mismatch: the server has MD5 %1, we received %2; the bad copy was removed")
                                          .arg(QString::fromLatin1(m_remoteMd5), QString::fromLatin1(localMd5)));
        return;
    }
    const QByteArray partName = QFile::encodeName(part);
    QString modeError;
    if (!PublishingFileSink::setFinalModeAndTime(part, m_mode, m_mtime, &modeError)) {
        fail(ErrorCode::LocalIo, modeError);
        return;
    }
    // rename(2) replaces the final name atomically (QFile::rename refuses to overwrite).
    if (::rename(partName.constData(), QFile::encodeName(m_localPath).constData()) != 0) {
        fail(ErrorCode::LocalIo, QStringLiteral("renaming %1 into place: %2").arg(part, QString::fromLocal8Bit(strerror(errno))));
        return;
    }
    succeed(localMd5);
}

} // namespace rdt
