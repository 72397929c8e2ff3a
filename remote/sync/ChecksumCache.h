// The workstation's memory of MD5s it has computed, keyed by absolute path and the file's
// identity (size, mtime and ctime to the nanosecond, inode, device), so that checking an
// unchanged 2.3 GB model again costs one stat(2). Persisted in a small text file.
#pragma once

#include "FileIdentity.h"
#include "Result.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <optional>

namespace rdt {

// Thread-safe: lookup and insert may be called from the hashing threads at once.
// A hit needs every identity field equal; in particular a file rewritten with the same size
// and its old mtime restored (utimensat) has a new ctime and misses, and a file replaced by a
// rename has a new inode and misses. A stale entry therefore never hides a changed file.
class ChecksumCache {
public:
    // $XDG_CACHE_HOME/rdt-workbench/md5-cache.tsv (GenericCacheLocation, not CacheLocation,
    // so the GUI and rdtctl share one file whatever the application name).
    [[nodiscard]] static QString defaultFilePath();

    explicit ChecksumCache(QString filePath = defaultFilePath());

    QString filePath() const { return m_filePath; }

    // Reads the file; a missing file is an empty cache, unreadable lines are skipped (a cache
    // can always be rebuilt), an unreadable file is an error.
    [[nodiscard]] Result<void> load();

    // Writes every entry atomically (QSaveFile: a temporary file renamed over the old one).
    // Entries another process saved meanwhile are kept unless we know newer ones for the path.
    [[nodiscard]] Result<void> save();

    [[nodiscard]] std::optional<QString> lookup(const QString &path, const FileIdentity &identity) const;
    void insert(const QString &path, const FileIdentity &identity, const QString &md5);

    int size() const;
    bool isModified() const;

private:
    struct Entry {
        FileIdentity identity;
        QString md5;
    };

    static QString key(const QString &path);
    // Parses the file at m_filePath into `entries`; a missing file leaves it empty.
    Result<void> readFile(QHash<QString, Entry> *entries) const;

    QString m_filePath;
    mutable QMutex m_mutex;
    QHash<QString, Entry> m_entries;   // guarded by m_mutex
    bool m_modified = false;           // guarded by m_mutex
};

} // namespace rdt
