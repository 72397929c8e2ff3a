// Strict readers (and the one writer) of RemoteChecksumScript's output formats. A file name
// may hold any byte but NUL, so records are NUL-terminated and nothing is ever split on
// spaces or newlines past the fixed numeric fields.
#pragma once

#include "FileIdentity.h"
#include "Result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace rdt {

struct RemoteListedFile {
    QByteArray path;          // relative to the base folder, the server's bytes exactly
    FileIdentity identity;
};

// One entry of the server cache BASE/.rdt/md5-cache: "SIZE MTIME_NS INODE CTIME_NS DEVICE
// MD5 RELPATH\0" per file.
struct RemoteCacheEntry {
    FileIdentity identity;
    QString md5;
};
using RemoteCache = QHash<QByteArray, RemoteCacheEntry>;

enum class RemoteRootKind { Folder, File, Missing, Other, Unreadable };

struct RemoteListingOutput {
    RemoteRootKind rootKind = RemoteRootKind::Missing;
    qint64 serverNowNs = 0;   // 0: the server's date printed no nanoseconds
    QList<RemoteListedFile> files;
    int listStatus = 0;       // find's exit status
    RemoteCache cache;        // empty when there is none or it was unreadable
};

struct RemoteHashOutput {
    QHash<QByteArray, QString> md5;           // by relative path
    QHash<QByteArray, FileIdentity> after;    // identity after hashing, by relative path
    int status = 0;                           // xargs' exit status (123: some md5sum failed)
};

class RemoteChecksumParser {
public:
    // Errors are ErrorCode::Protocol and say what was wrong and at which byte; the caller
    // adds the host and the root.
    [[nodiscard]] static Result<RemoteListingOutput> parseListing(const QByteArray &output);
    [[nodiscard]] static Result<RemoteHashOutput> parseHashes(const QByteArray &output);
    // Whether the save script replaced the cache file.
    [[nodiscard]] static Result<bool> parseSaved(const QByteArray &output);

    // Records of a cache file; nullopt-like empty result on any malformed record, since a
    // cache that is damaged anywhere is not worth trusting anywhere.
    [[nodiscard]] static RemoteCache parseCache(const QByteArray &bytes);
    [[nodiscard]] static QByteArray formatCache(const RemoteCache &cache);

    // find's %T@ ("1795740071.6516008160") in nanoseconds; false on anything else.
    [[nodiscard]] static bool parseTimestamp(const QByteArray &text, qint64 *nanoseconds);

    // For progress while the hash output streams in: the hash records complete in
    // `output` from `*offset` on (advanced past them). Call with the whole output so far.
    [[nodiscard]] static QList<QByteArray> takeHashedPaths(const QByteArray &output, qsizetype *offset);
};

} // namespace rdt
