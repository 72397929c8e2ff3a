// One file at a time: the connection is one TCP stream, so parallel files would only
// share its bandwidth, and one-at-a-time keeps "what is done" simple to report and resume.
#include "SyncRunner.h"

#include "ChecksumCache.h"
#include "CommandSpec.h"
#include "FileTransfer.h"
#include "RemoteProcess.h"
#include "SafeRelativePath.h"
#include "SshClient.h"
#include "TransferScripts.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace rdt {
namespace {

// The first planned path that must not be joined to a root, as an error; None when all
// are safe. The listings were checked when they were read; this holds for any plan.
Error unsafePlanPath(const SyncPlan &plan)
{
    QStringList paths;
    for (const PlannedTransfer &transfer : plan.transfers())
        paths.append(transfer.relativePath);
    paths += plan.deletions();
    for (const QString &path : std::as_const(paths)) {
        if (const QString why = SafeRelativePath::problem(path); !why.isEmpty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("refusing to sync the file name %1: it has %2")
                                                              .arg(SafeRelativePath::quoted(path), why));
    }
    return {};
}

// Creates `relativeFolder` below `root` one component at a time. A component that exists
// must be a real folder: a symbolic link (or a file) planted in the destination would
// otherwise carry the files written "below" it anywhere. New folders get the umask's mode.
Error makeLocalFolder(const QString &root, const QString &relativeFolder)
{
    QString path = root;
    for (const QString &component : relativeFolder.split(QLatin1Char('/'))) {
        path += QLatin1Char('/') + component;
        const QByteArray name = QFile::encodeName(path);
        struct stat info {};
        if (lstat(name.constData(), &info) != 0) {
            if (mkdir(name.constData(), 0777) == 0 || errno == EEXIST) {
                if (lstat(name.constData(), &info) == 0 && S_ISDIR(info.st_mode))
                    continue;
            }
            return makeError(ErrorCode::LocalIo, QStringLiteral("cannot create the local folder %1: %2")
                                                     .arg(path, QString::fromLocal8Bit(strerror(errno))));
        }
        if (!S_ISDIR(info.st_mode))
            return makeError(ErrorCode::LocalIo, QStringLiteral("cannot write below %1: it is %2, not a folder")
                                                     .arg(path, S_ISLNK(info.st_mode) ? QStringLiteral("a symbolic link")
                                                                                      : QStringLiteral("a file")));
    }
    return {};
}

} // namespace

SyncRunner::SyncRunner(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

SyncRunner::~SyncRunner() = default;

QString SyncRunner::localPathOf(const QString &relativePath) const
{
    return m_singleFile ? m_localRoot : m_localRoot + QLatin1Char('/') + relativePath;
}

QString SyncRunner::remotePathOf(const QString &relativePath) const
{
    return m_singleFile ? m_remoteRoot : m_remoteRoot + QLatin1Char('/') + relativePath;
}

void SyncRunner::run(const SyncPlan &plan, const QString &localRoot, const QString &remoteRoot, bool singleFile)
{
    m_plan = plan;
    m_localRoot = localRoot;
    m_remoteRoot = remoteRoot;
    m_singleFile = singleFile;
    m_running = true;
    if (!m_cache && !m_ownCache && plan.direction() == SyncDirection::Push && !plan.transfers().isEmpty()) {
        // The comparison that made the plan has just saved its MD5s there; a cache that
        // cannot be read only means hashing again.
        m_ownCache = std::make_unique<ChecksumCache>();
        (void)m_ownCache->load();
    }
    m_next = 0;
    m_filesDone = 0;
    m_bytesDone = 0;
    m_bytesMoved = 0;
    m_error = {};
    m_clock.start();
    if (!singleFile) {
        if (const Error unsafe = unsafePlanPath(plan); unsafe.code != ErrorCode::None) {
            // Queued, so that finished() never arrives before run() has returned.
            QMetaObject::invokeMethod(this, [this, unsafe] { finish(unsafe); }, Qt::QueuedConnection);
            return;
        }
    }
    makeFolders();
}

void SyncRunner::cancel()
{
    if (!m_running)
        return;
    if (m_command) {
        disconnect(m_command, nullptr, this, nullptr);
        m_command->cancel();
    }
    if (m_transfer) {
        disconnect(m_transfer, nullptr, this, nullptr);
        m_transfer->cancel();
        m_transfer->deleteLater();
    }
    finish(makeError(ErrorCode::Cancelled, QStringLiteral("sync cancelled after %1 of %2 files; run it again to resume")
                                               .arg(m_filesDone).arg(m_plan.transfers().size())));
}

void SyncRunner::makeFolders()
{
    QSet<QString> folders;
    for (const PlannedTransfer &transfer : m_plan.transfers()) {
        const QString path = m_plan.direction() == SyncDirection::Push ? remotePathOf(transfer.relativePath)
                                                                       : localPathOf(transfer.relativePath);
        const int slash = path.lastIndexOf(QLatin1Char('/'));
        if (slash > 0)
            folders.insert(path.left(slash));
    }
    if (folders.isEmpty()) {
        nextFile();
        return;
    }
    if (m_plan.direction() == SyncDirection::Pull) {
        // The root (or a single file's folder) is the user's own choice; what lies below
        // the root came from the server's listing.
        const QString userFolder = m_singleFile ? *folders.begin() : m_localRoot;
        if (!QDir().mkpath(userFolder)) {
            finish(makeError(ErrorCode::LocalIo, QStringLiteral("cannot create the local folder %1").arg(userFolder)));
            return;
        }
        QSet<QString> below;
        for (const PlannedTransfer &transfer : m_plan.transfers()) {
            const int slash = transfer.relativePath.lastIndexOf(QLatin1Char('/'));
            if (!m_singleFile && slash > 0)
                below.insert(transfer.relativePath.left(slash));
        }
        for (const QString &folder : std::as_const(below)) {
            const Error made = makeLocalFolder(m_localRoot, folder);
            if (made.code != ErrorCode::None) {
                finish(made);
                return;
            }
        }
        nextFile();
        return;
    }
    runOnServer(TransferScripts::makeFolders(QStringList(folders.begin(), folders.end())),
                QStringLiteral("creating folders"), [this] { nextFile(); });
}

void SyncRunner::nextFile()
{
    if (m_next >= m_plan.transfers().size()) {
        deleteExtras();
        return;
    }
    const PlannedTransfer planned = m_plan.transfers().at(m_next++);
    Q_EMIT fileStarted(planned.relativePath, planned.bytes);
    m_transfer = new FileTransfer(m_client, this);
    m_transfer->setChecksumCache(m_cache ? m_cache : m_ownCache.get());
    connect(m_transfer, &FileTransfer::progress, this, [this, planned](const TransferProgress &file) {
        TransferProgress total;
        total.bytesTotal = m_plan.bytesToSend();
        total.bytesDone = m_bytesDone + file.bytesDone;
        const double seconds = m_clock.elapsed() / 1000.0;
        const qint64 moved = m_bytesMoved + file.bytesDone;
        if (seconds > 0.2 && moved > 0) {
            total.bytesPerSecond = moved / seconds;
            total.secondsLeft = (total.bytesTotal - total.bytesDone) / total.bytesPerSecond;
        }
        Q_EMIT progress(total, planned.relativePath);
    });
    connect(m_transfer, &FileTransfer::finished, this, [this, planned] {
        FileTransfer *transfer = m_transfer;
        m_transfer = nullptr;
        transfer->deleteLater();
        if (transfer->error().code != ErrorCode::None) {
            finish(transfer->error());
            return;
        }
        ++m_filesDone;
        m_bytesDone += planned.bytes;
        m_bytesMoved += transfer->bytesMoved();
        nextFile();
    });
    if (m_plan.direction() == SyncDirection::Push)
        m_transfer->upload(localPathOf(planned.relativePath), remotePathOf(planned.relativePath));
    else
        m_transfer->download(remotePathOf(planned.relativePath), localPathOf(planned.relativePath));
}

void SyncRunner::deleteExtras()
{
    if (m_plan.deletions().isEmpty()) {
        finish();
        return;
    }
    if (m_plan.direction() == SyncDirection::Pull) {
        for (const QString &relativePath : m_plan.deletions()) {
            const QString path = localPathOf(relativePath);
            if (QFileInfo::exists(path) && !QFile::remove(path)) {
                finish(makeError(ErrorCode::LocalIo, QStringLiteral("cannot delete %1").arg(path)));
                return;
            }
        }
        finish();
        return;
    }
    QStringList paths;
    for (const QString &relativePath : m_plan.deletions())
        paths.append(remotePathOf(relativePath));
    runOnServer(TransferScripts::removeFiles(paths), QStringLiteral("deleting"), [this] { finish(); });
}

// Runs one command; a failure ends the sync with the command's error or its stderr.
void SyncRunner::runOnServer(const QList<QByteArray> &argv, const QString &what, std::function<void()> then)
{
    CommandSpec spec;
    spec.argv = argv;
    m_command = m_client->start(spec);
    auto errors = std::make_shared<QByteArray>();
    connect(m_command, &RemoteProcess::standardError, this, [errors](const QByteArray &data) { *errors += data; });
    connect(m_command, &RemoteProcess::finished, this, [this, errors, what, then] {
        RemoteProcess *command = m_command;
        m_command = nullptr;
        command->deleteLater();
        if (command->error().code != ErrorCode::None)
            finish(command->error());
        else if (command->exitStatus() != 0)
            finish(makeError(ErrorCode::RemoteFailed, QStringLiteral("%1 on %2: %3")
                                                          .arg(what, m_client->route().target.displayName(),
                                                               QString::fromUtf8(errors->trimmed()))));
        else
            then();
    });
}

void SyncRunner::finish(const Error &error)
{
    if (!m_running)
        return;
    m_running = false;
    m_error = error;
    Q_EMIT finished();
}

} // namespace rdt
