// RemoteChecksums: a small state machine over three stages (list, hash, save the cache).
// Each command's whole output is parsed strictly once it has finished; the hash commands'
// output is also scanned as it streams in, for progress.
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

// Hash commands run side by side. One md5sum reads about 700 MB/s, far below what a GPU
// server's NVMe and page cache deliver, and a dataset and a model are two files: hashing
// them one after the other made the server the slow side of every cold comparison. Four
// keeps a many-core server busy without starting a crowd of processes on a small one.
constexpr int kMaxHashGroups = 4;

// The files to hash split into at most `groups` lists of about equal bytes: largest file
// first, each into the lightest list so far (so the 2.3 GB model gets a list to itself).
std::vector<QList<int>> splitBySize(QList<int> files, const QList<RemoteListedFile> &listed, int groups)
{
    std::stable_sort(files.begin(), files.end(),
                     [&listed](int a, int b) { return listed[a].identity.size > listed[b].identity.size; });
    std::vector<QList<int>> lists(size_t(qBound(1, groups, int(files.size()))));
    std::vector<qint64> bytes(lists.size(), 0);
    for (int index : std::as_const(files)) {
        const size_t lightest = size_t(std::min_element(bytes.begin(), bytes.end()) - bytes.begin());
        lists[lightest].append(index);
        bytes[lightest] += qMax<qint64>(listed[index].identity.size, 1);   // empty files count too
    }
    return lists;
}

} // namespace

RemoteChecksums::RemoteChecksums(SshClient *client, QObject *parent) : QObject(parent), m_client(client)
{
    qRegisterMetaType<rdt::ChecksumProgress>();
}

RemoteChecksums::~RemoteChecksums()
{
    if (m_process && m_process->isRunning())
        m_process->cancel();
    for (HashGroup &group : m_hashGroups) {
        if (group.process && group.process->isRunning())
            group.process->cancel();
    }
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
    for (HashGroup &group : m_hashGroups) {
        if (group.process)
            group.process->cancel();
    }
}

void RemoteChecksums::runStage(Stage stage, const QList<QByteArray> &argv, const QByteArray &standardInput)
{
    m_stage = stage;
    m_out.clear();
    m_err.clear();
    CommandSpec spec;
    spec.argv = argv;
    spec.standardInput = standardInput;
    RemoteProcess *process = m_client->start(spec);
    m_process = process;
    connect(process, &RemoteProcess::standardOutput, this, [this](const QByteArray &data) { m_out += data; });
    connect(process, &RemoteProcess::standardError, this, [this](const QByteArray &data) { m_err += data; });
    connect(process, &RemoteProcess::finished, this, &RemoteChecksums::onFinished);
}

void RemoteChecksums::countHashed(HashGroup &group)
{
    const QList<QByteArray> done = RemoteChecksumParser::takeHashedPaths(group.out, &group.scanOffset);
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
}

void RemoteChecksums::onHashGroupFinished(size_t index)
{
    HashGroup &group = m_hashGroups[index];
    if (group.process) {
        group.error = group.process->error();
        group.process->deleteLater();
        group.process = nullptr;
    }
    // The first failure stops the other groups: their work no longer matters.
    if (group.error.code != ErrorCode::None && !m_cancelled) {
        for (HashGroup &other : m_hashGroups) {
            if (other.process)
                other.process->cancel();
        }
    }
    if (--m_hashGroupsRunning > 0)
        return;
    // The groups stopped by another's failure say "cancelled": report the failure itself.
    auto failed = std::find_if(m_hashGroups.begin(), m_hashGroups.end(), [](const HashGroup &g) {
        return g.error.code != ErrorCode::None && g.error.code != ErrorCode::Cancelled;
    });
    if (failed == m_hashGroups.end())
        failed = std::find_if(m_hashGroups.begin(), m_hashGroups.end(),
                              [](const HashGroup &g) { return g.error.code != ErrorCode::None; });
    if (m_cancelled) {
        finish(makeError(ErrorCode::Cancelled, QStringLiteral("hashing %1: cancelled").arg(where())));
        return;
    }
    if (failed != m_hashGroups.end()) {
        finish(makeError(failed->error.code, QStringLiteral("hashing %1: %2").arg(where(), failed->error.message)));
        return;
    }
    afterHashing();
}

void RemoteChecksums::onFinished()
{
    RemoteProcess *process = m_process;
    m_process = nullptr;
    const Error processError = process ? process->error() : Error();
    if (process)
        process->deleteLater();

    const QString verb = m_stage == Stage::Listing ? QStringLiteral("listing")
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
    case Stage::SavingCache: {
        const Result<bool> saved = RemoteChecksumParser::parseSaved(m_out);
        if (!saved || !*saved)
            m_warnings.append(QStringLiteral("%1 %2: the folder .rdt could not be written (read-only?)").arg(verb, where()));
        finish();
        break;
    }
    case Stage::Hashing:   // the hash groups report to onHashGroupFinished()
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
    m_stage = Stage::Hashing;
    m_err.clear();
    m_hashGroups.clear();
    for (QList<int> &files : splitBySize(m_toHash, m_listing.files, kMaxHashGroups)) {
        HashGroup group;
        group.files = std::move(files);
        m_hashGroups.push_back(std::move(group));
    }
    m_hashGroupsRunning = int(m_hashGroups.size());
    for (size_t i = 0; i < m_hashGroups.size(); ++i) {
        CommandSpec spec;
        spec.argv = RemoteChecksumScript::hashCommand(m_root);
        for (int index : std::as_const(m_hashGroups[i].files))
            spec.standardInput += "./" + m_listing.files[index].path + '\0';
        RemoteProcess *process = m_client->start(spec);
        m_hashGroups[i].process = process;
        connect(process, &RemoteProcess::standardOutput, this, [this, i](const QByteArray &data) {
            m_hashGroups[i].out += data;
            countHashed(m_hashGroups[i]);
        });
        connect(process, &RemoteProcess::standardError, this, [this](const QByteArray &data) { m_err += data; });
        connect(process, &RemoteProcess::finished, this, [this, i] { onHashGroupFinished(i); });
    }
}

void RemoteChecksums::afterHashing()
{
    // Each group's output is a complete, strictly parsed answer of its own; their files
    // do not overlap, so the union is the answer for all of them.
    RemoteHashOutput hashes;
    for (const HashGroup &group : m_hashGroups) {
        Result<RemoteHashOutput> parsed = RemoteChecksumParser::parseHashes(group.out);
        if (!parsed) {
            QString message = QStringLiteral("hashing %1: %2").arg(where(), parsed.error().message);
            if (!m_err.isEmpty())
                message += QStringLiteral(" (%1)").arg(standardErrorText());
            finish(makeError(parsed.error().code, message));
            return;
        }
        hashes.md5.insert(parsed->md5);
        hashes.after.insert(parsed->after);
    }
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
    m_hashGroups.clear();
    Q_EMIT finished();
}

} // namespace rdt
