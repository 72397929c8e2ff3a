// ChecksumCache: one line per file, "size mtime_ns ctime_ns inode device md5 path" separated
// by tabs, the path percent-encoded so that tabs and newlines in names cannot break a line.
#include "ChecksumCache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>
#include <QSaveFile>
#include <QStandardPaths>

namespace rdt {

namespace {

constexpr char kHeader[] = "# rdt-workbench md5 cache, format 1";
constexpr int kFieldCount = 7;
// Entries of deleted files pile up; past this many (about 10 MB of file), a save drops the
// entries whose files are gone. Checking 100k paths costs well under a second, and only then.
constexpr qsizetype kPruneAbove = 100000;

bool isMd5Hex(const QByteArray &text)
{
    if (text.size() != 32)
        return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

} // namespace

QString ChecksumCache::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
        + QStringLiteral("/rdt-workbench/md5-cache.tsv");
}

ChecksumCache::ChecksumCache(QString filePath) : m_filePath(std::move(filePath)) {}

QString ChecksumCache::key(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

Result<void> ChecksumCache::readFile(QHash<QString, Entry> *entries) const
{
    QFile file(m_filePath);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::LocalIo,
                         QStringLiteral("reading the checksum cache %1: %2").arg(m_filePath, file.errorString()));
    const QByteArray header = file.readLine().trimmed();
    if (header != kHeader)
        return {};   // another format: start afresh rather than guess
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        if (!line.endsWith('\n'))
            break;   // cut short (a full disk when it was written): ignore the tail
        const QList<QByteArray> fields = line.chopped(1).split('\t');
        if (fields.size() != kFieldCount || !isMd5Hex(fields[5]))
            continue;
        bool ok[5] = {};
        Entry entry;
        entry.identity.size = fields[0].toLongLong(&ok[0]);
        entry.identity.mtimeNs = fields[1].toLongLong(&ok[1]);
        entry.identity.ctimeNs = fields[2].toLongLong(&ok[2]);
        entry.identity.inode = fields[3].toULongLong(&ok[3]);
        entry.identity.device = fields[4].toULongLong(&ok[4]);
        if (!(ok[0] && ok[1] && ok[2] && ok[3] && ok[4]))
            continue;
        entry.md5 = QString::fromLatin1(fields[5]);
        const QString path = QFile::decodeName(QByteArray::fromPercentEncoding(fields[6]));
        if (path.isEmpty())
            continue;
        entries->insert(path, entry);
    }
    return {};
}

Result<void> ChecksumCache::load()
{
    QHash<QString, Entry> entries;
    Result<void> read = readFile(&entries);
    if (!read)
        return read;
    QMutexLocker locker(&m_mutex);
    m_entries = std::move(entries);
    m_modified = false;
    return {};
}

Result<void> ChecksumCache::save()
{
    // Merge first so that two programs saving one after the other both keep their work.
    QHash<QString, Entry> merged;
    (void)readFile(&merged);   // an unreadable old file is simply replaced
    QMutexLocker locker(&m_mutex);
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        merged.insert(it.key(), it.value());
    if (merged.size() > kPruneAbove)
        merged.removeIf([](const auto &entry) { return !QFileInfo::exists(entry.key()); });

    const QString folder = QFileInfo(m_filePath).absolutePath();
    if (!QDir().mkpath(folder))
        return makeError(ErrorCode::LocalIo,
                         QStringLiteral("saving the checksum cache %1: cannot create the folder %2").arg(m_filePath, folder));
    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::LocalIo,
                         QStringLiteral("saving the checksum cache %1: %2").arg(m_filePath, file.errorString()));
    QByteArray text = QByteArray(kHeader) + '\n';
    for (auto it = merged.cbegin(); it != merged.cend(); ++it) {
        const FileIdentity &id = it.value().identity;
        text += QByteArray::number(id.size) + '\t' + QByteArray::number(id.mtimeNs) + '\t'
            + QByteArray::number(id.ctimeNs) + '\t' + QByteArray::number(id.inode) + '\t'
            + QByteArray::number(id.device) + '\t' + it.value().md5.toLatin1() + '\t'
            + QFile::encodeName(it.key()).toPercentEncoding("/") + '\n';
    }
    file.write(text);
    if (!file.commit())
        return makeError(ErrorCode::LocalIo,
                         QStringLiteral("saving the checksum cache %1: %2").arg(m_filePath, file.errorString()));
    m_entries = std::move(merged);
    m_modified = false;
    return {};
}

std::optional<QString> ChecksumCache::lookup(const QString &path, const FileIdentity &identity) const
{
    const QString k = key(path);
    QMutexLocker locker(&m_mutex);
    const auto it = m_entries.constFind(k);
    if (it == m_entries.cend() || it->identity != identity)
        return std::nullopt;
    return it->md5;
}

void ChecksumCache::insert(const QString &path, const FileIdentity &identity, const QString &md5)
{
    Q_ASSERT(isMd5Hex(md5.toLatin1()));
    const QString k = key(path);
    QMutexLocker locker(&m_mutex);
    m_entries.insert(k, Entry{identity, md5});
    m_modified = true;
}

int ChecksumCache::size() const
{
    QMutexLocker locker(&m_mutex);
    return int(m_entries.size());
}

bool ChecksumCache::isModified() const
{
    QMutexLocker locker(&m_mutex);
    return m_modified;
}

} // namespace rdt
