// The server side of RemoteChecksums: three small POSIX sh scripts (list, hash, save the
// server cache), each run as one remote command whatever the number of files. Needs GNU
// find (-printf) and date (%N), as on every Linux GPU server; md5sum -z where it exists.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace rdt {

// Every script prints "@@rdt-remote-md5 1\n" first (anything before it, such as a message
// from the login shell's rc file, is ignored) and "@@end\n" last (without it the output was
// cut). The root travels as "$1", never in the script's text; "~/" at its start means the
// remote home. The base folder is the root for a folder, the root's parent for a file;
// relative paths are relative to it, and its server cache is BASE/.rdt/md5-cache.
//
// list: @@now SECONDS.NANOS            the server's clock, to tell racy cache entries
//       @@root dir|file|missing|other|unreadable
//       @@list\n then one record per regular file (".rdt" at the top skipped):
//           SIZE MTIME INODE CTIME DEVICE RELPATH\0       MTIME/CTIME as find's %T@/%C@
//       @@list-status N                find's exit status (non-zero: see stderr)
//       @@cache\n then the cache file's bytes, then @@end\n
// hash: standard input is NUL-terminated "./RELPATH" entries;
//       @@hashes\n then, per batch of files, md5sum's records "MD5  ./RELPATH\0" and after
//       them find's "S SIZE MTIME INODE CTIME DEVICE ./RELPATH\0" taken after hashing;
//       @@hash-status N, @@end
// save: standard input is the new cache file; @@saved 1|0, @@end
class RemoteChecksumScript {
public:
    static QByteArray listScript();
    static QByteArray hashScript();
    static QByteArray saveScript();

    // Argument vectors: sh -c SCRIPT NAME ROOT. Quote with shellCommandLine().
    static QList<QByteArray> listCommand(const QString &remoteRoot);
    static QList<QByteArray> hashCommand(const QString &remoteRoot);
    static QList<QByteArray> saveCommand(const QString &remoteRoot);
};

} // namespace rdt
