// RemoteChecksums: a small state machine over three remote commands (list, hash, save the
// cache). Each stage's whole output is parsed strictly once the command has finished; the
// hash stage's output is also scanned as it streams in, for progress.
#include "RemoteChecksums.h"

#include "CommandSpec.h"
#include "RemoteChecksumScript.h"
#include "RemoteProcess.h"
#include "SshClient.h"

#include <algorithm>

namespace rdt {

namespace {

// md5sum's and find's complaints can be long (one line per unreadable file): enough to say why.
constexpr int kStandardErrorChars = 600;

} // namespace

RemoteChecksums::RemoteChecksums(SshClient *client, QObject *parent) : QObject(parent), m_client(client)
{
    qRegisterMetaType<rdt::ChecksumProgress>();
}

RemoteChecksums::~RemoteChecksums()
{
    if (m_process && m_process->isRunning())
        m_process->cancel();
}

QString RemoteChecksums::where() const
{
    QString host = QStringLiteral("the server");
    if (m_client) {
        const SshHost &target = m_client->route().target;
        host = target.alias.isEmpty() ? target.hostName : target.alias;
    }
    return QStringLiteral("%1 on %2").arg(m_root, host);
}

QString RemoteChecksums::standardErrorText() const
{
    QString text = QString::fromUtf8(m_err).trimmed();
    text.replace(QLatin1Char('\n'), QLatin1String("; "));
    if (text.size() > kStandardErrorChars)
        text = text.left(kStandardErrorChars) + QStringLiteral("…");
    return text;
}

void RemoteChecksums::start(const QString &remoteRoot)
{
    Q_ASSERT(m_stage == Stage::Idle);
    m_root = remoteRoot;
    m_cancelled = false;
    m_hashRounds = 0;
    m_listing = RemoteListingOutput();
    m_toHash.clear();
    m_md5.clear();
    m_indexOfPath.clear();
    m_newCache.clear();
    m_rootKind = RemoteRootKind::Missing;
    m_files.clear();
    m_error = Error();
    m_warnings.clear();
    m_progress = ChecksumProgress();
    if (!m_client || !m_client->isConnected()) {
        // Queued, so that finished() never arrives before start() has returned.
        m_stage = Stage::Listing;   // finish() returns it to Idle
        const Error error = makeError(ErrorCode::ConnectionLost, QStringLiteral("listing %1: not connected").arg(where()));
        QMetaObject::invokeMethod(this, [this, error] { finish(error); }, Qt::QueuedConnection);
        return;
    }
    runStage(Stage::Listing, RemoteChecksumScript::listCommand(remoteRoot));
}

void RemoteChecksums::cancel()
{
    if (m_stage == Stage::Idle)
        return;
    m_cancelled = true;
    if (m_process)
        m_process->cancel();
}

void RemoteChecksums::runStage(Stage stage, const QList<QByteArray> &argv, const QByteArray &standardInput)
{
    m_stage = stage;
    m_out.clear();
    m_err.clear();
    m_hashScanOffset = 0;
    CommandSpec spec;
    spec.argv = argv;
    spec.standardInput = standardInput;
    RemoteProcess *process = m_client->start(spec);
    m_process = process;
    connect(process, &RemoteProcess::standardOutput, this, [this](const QByteArray &data) {
        m_out += data;
        if (m_stage != Stage::Hashing)
            return;
        const QList<QByteArray> done = RemoteChecksumParser::takeHashedPaths(m_out, &m_hashScanOffset);
        if (done.isEmpty())
            return;
        for (const QByteArray &path : done) {
            const int index = m_indexOfPath.value(path, -1);
            if (index < 0)
                continue;
            ++m_progress.filesDone;
            m_progress.bytesDone += m_listing.files[index].identity.size;
        }
        m_progress.filesDone = qMin(m_progress.filesDone, m_progress.filesTotal);
        m_progress.bytesDone = qMin(m_progress.bytesDone, m_progress.bytesTotal);
        Q_EMIT progress(m_progress);
    });
    connect(process, &RemoteProcess::standardError, this, [this](const QByteArray &data) { m_err += data; });
    connect(process, &RemoteProcess::finished, this, &RemoteChecksums::onFinished);
}

void RemoteChecksums::onFinished()
{
    RemoteProcess *process = m_process;
    m_process = nullptr;
    const Error processError = process ? process->error() : Error();
    if (process)
        process->deleteLater();

    const QString verb = m_stage == Stage::Listing ? QStringLiteral("listing")
        : m_stage == Stage::Hashing                ? QStringLiteral("hashing")
                                                   : QStringLiteral("saving the checksum cache of");
    if (m_cancelled) {
        finish(makeError(ErrorCode::Cancelled, QStringLiteral("%1 %2: cancelled").arg(verb, where())));
        return;
    }
    if (processError.code != ErrorCode::None) {
        if (m_stage == Stage::SavingCache) {
            m_warnings.append(QStringLiteral("%1 %2: %3").arg(verb, where(), processError.message));
            finish();
            return;
        }
        finish(makeError(processError.code, QStringLiteral("%1 %2: %3").arg(verb, where(), processError.message)));
        return;
    }
    switch (m_stage) {
    case Stage::Listing:
        afterListing();
        break;
    case Stage::Hashing:
        afterHashing();
        break;
    case Stage::SavingCache: {
        const Result<bool> saved = RemoteChecksumParser::parseSaved(m_out);
        if (!saved || !*saved)
            m_warnings.append(QStringLiteral("%1 %2: the folder .rdt could not be written (read-only?)").arg(verb, where()));
        finish();
        break;
    }
    case Stage::Idle:
        break;
    }
}

void RemoteChecksums::afterListing()
{
    Result<RemoteListingOutput> parsed = RemoteChecksumParser::parseListing(m_out);
    if (!parsed) {
        QString message = QStringLiteral("listing %1: %2").arg(where(), parsed.error().message);
        if (!m_err.isEmpty())
            message += QStringLiteral(" (%1)").arg(standardErrorText());
        finish(makeError(parsed.error().code, message));
        return;
    }
    m_listing = std::move(parsed).value();
    m_rootKind = m_listing.rootKind;
    switch (m_rootKind) {
    case RemoteRootKind::Missing:
        finish();
        return;
    case RemoteRootKind::Other:
        finish(makeError(ErrorCode::RemoteFailed, QStringLiteral("listing %1: neither a regular file nor a folder").arg(where())));
        return;
    case RemoteRootKind::Unreadable:
        finish(makeError(ErrorCode::RemoteFailed, QStringLiteral("listing %1: permission denied").arg(where())));
        return;
    case RemoteRootKind::File:
    case RemoteRootKind::Folder:
        break;
    }
    if (m_listing.listStatus != 0) {
        finish(makeError(ErrorCode::RemoteFailed, QStringLiteral("listing %1: find exited with status %2: %3")
                                                       .arg(where())
                                                       .arg(m_listing.listStatus)
                                                       .arg(standardErrorText())));
        return;
    }

    // A file root shares its folder's cache with the folder's other files: keep their entries.
    if (m_rootKind == RemoteRootKind::File)
        m_newCache = m_listing.cache;
    m_md5.resize(m_listing.files.size());
    m_progress.filesTotal = int(m_listing.files.size());
    for (int i = 0; i < m_listing.files.size(); ++i) {
        const RemoteListedFile &file = m_listing.files[i];
        m_indexOfPath.insert(file.path, i);
        m_newCache.remove(file.path);
        const auto cached = m_listing.cache.constFind(file.path);
        if (m_options.useServerCache && cached != m_listing.cache.cend() && cached->identity == file.identity) {
            m_md5[i] = cached->md5;
            m_newCache.insert(file.path, *cached);
            ++m_progress.filesFromCache;
            ++m_progress.filesDone;
        } else {
            m_toHash.append(i);
            m_progress.bytesTotal += file.identity.size;
        }
    }
    Q_EMIT progress(m_progress);
    if (m_toHash.isEmpty())
        saveCacheOrFinish();
    else
        startHashing();
}

void RemoteChecksums::startHashing()
{
    ++m_hashRounds;
    QByteArray paths;
    for (int index : std::as_const(m_toHash))
        paths += "./" + m_listing.files[index].path + '\0';
    runStage(Stage::Hashing, RemoteChecksumScript::hashCommand(m_root), paths);
}

void RemoteChecksums::afterHashing()
{
    Result<RemoteHashOutput> parsed = RemoteChecksumParser::parseHashes(m_out);
    if (!parsed) {
        QString message = QStringLiteral("hashing %1: %2").arg(where(), parsed.error().message);
        if (!m_err.isEmpty())
            message += QStringLiteral(" (%1)").arg(standardErrorText());
        finish(makeError(parsed.error().code, message));
        return;
    }
    const RemoteHashOutput &hashes = *parsed;
    const qint64 racyLimit = m_listing.serverNowNs - m_options.racyWindowMs * 1000000;
    QList<int> changed;
    QStringList failed;
    for (int index : std::as_const(m_toHash)) {
        RemoteListedFile &file = m_listing.files[index];
        const auto md5 = hashes.md5.constFind(file.path);
        if (md5 == hashes.md5.cend()) {
            failed.append(QString::fromUtf8(file.path));
            continue;
        }
        const auto after = hashes.after.constFind(file.path);
        if (after == hashes.after.cend()) {
            failed.append(QString::fromUtf8(file.path));
            continue;
        }
        if (*after != file.identity) {
            // Changed between the listing and the end of its hashing: hash the new version.
            file.identity = *after;
            changed.append(index);
            continue;
        }
        m_md5[index] = *md5;
        const bool racy = m_listing.serverNowNs == 0 || file.identity.mtimeNs >= racyLimit || file.identity.ctimeNs >= racyLimit;
        if (m_options.useServerCache && !racy)
            m_newCache.insert(file.path, RemoteCacheEntry{file.identity, *md5});
    }
    if (!failed.isEmpty()) {
        QString message = QStringLiteral("hashing %1: %2 of %3 files could not be read (first: %4)")
                              .arg(where())
                              .arg(failed.size())
                              .arg(m_toHash.size())
                              .arg(failed.first());
        if (!m_err.isEmpty())
            message += QStringLiteral(": ") + standardErrorText();
        finish(makeError(ErrorCode::RemoteFailed, message));
        return;
    }
    if (!changed.isEmpty()) {
        if (m_hashRounds >= 2) {
            finish(makeError(ErrorCode::RemoteFailed, QStringLiteral("hashing %1: %2 kept changing while it was read")
                                                           .arg(where(), QString::fromUtf8(m_listing.files[changed.first()].path))));
            return;
        }
        m_toHash = changed;
        startHashing();
        return;
    }
    saveCacheOrFinish();
}

void RemoteChecksums::saveCacheOrFinish()
{
    if (!m_options.useServerCache
        || RemoteChecksumParser::formatCache(m_newCache) == RemoteChecksumParser::formatCache(m_listing.cache)) {
        finish();
        return;
    }
    runStage(Stage::SavingCache, RemoteChecksumScript::saveCommand(m_root), RemoteChecksumParser::formatCache(m_newCache));
}

void RemoteChecksums::finish(const Error &error)
{
    m_error = error;
    if (error.code == ErrorCode::None) {
        for (int i = 0; i < m_listing.files.size(); ++i) {
            const RemoteListedFile &listed = m_listing.files[i];
            FileChecksum file;
            file.relativePath = QString::fromUtf8(listed.path);
            file.size = listed.identity.size;
            file.mtimeNs = listed.identity.mtimeNs;
            file.md5 = m_md5.value(i);
            m_files.append(file);
        }
        std::sort(m_files.begin(), m_files.end(),
                  [](const FileChecksum &a, const FileChecksum &b) { return a.relativePath < b.relativePath; });
    }
    m_stage = Stage::Idle;
    Q_EMIT finished();
}

} // namespace rdt
