// RemoteChecksumParser: a cursor over the output, line markers between NUL-terminated
// records. Every deviation from the format is an error naming the byte offset, because a
// guess here could pair a checksum with the wrong file.
#include "RemoteChecksumParser.h"

#include "SafeRelativePath.h"

#include <algorithm>
#include <limits>

namespace rdt {

namespace {

constexpr char kHeader[] = "@@rdt-remote-md5 1\n";
constexpr char kEnd[] = "@@end\n";
constexpr int kIdentityFields = 5;   // SIZE MTIME INODE CTIME DEVICE

Error formatError(const QString &what, qsizetype offset)
{
    return makeError(ErrorCode::Protocol, QStringLiteral("unexpected checksum script output: %1 at byte %2").arg(what).arg(offset));
}

bool isMd5Hex(const QByteArray &text)
{
    if (text.size() != 32)
        return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

bool parseUnsigned(const QByteArray &text, quint64 *value)
{
    if (text.isEmpty() || text.size() > 20)
        return false;
    for (char c : text)
        if (c < '0' || c > '9')
            return false;
    bool ok = false;
    *value = text.toULongLong(&ok);
    return ok;
}

// Where the script's own output starts: its header at the start of a line. Lines before it
// come from the login shell (an rc file that echoes) and are not ours to read.
Result<qsizetype> bodyStart(const QByteArray &output)
{
    qsizetype at = 0;
    for (;;) {
        at = output.indexOf(kHeader, at);
        if (at < 0)
            return formatError(QStringLiteral("no \"@@rdt-remote-md5 1\" header (did sh run the script?)"), 0);
        if (at == 0 || output.at(at - 1) == '\n')
            return at + qsizetype(sizeof(kHeader) - 1);
        ++at;
    }
}

// [start, end) of the lines between the header and a final "@@end" line; an output without
// that end was cut off (the connection or the script died), which is an error.
struct Body {
    qsizetype start = 0;
    qsizetype end = 0;
};

Result<Body> completeBody(const QByteArray &output)
{
    Result<qsizetype> start = bodyStart(output);
    if (!start)
        return start.error();
    if (!output.endsWith(kEnd))
        return formatError(QStringLiteral("the output ends before \"@@end\" (cut off?)"), output.size());
    return Body{*start, output.size() - qsizetype(sizeof(kEnd) - 1)};
}

// The line at *pos without its '\n'; false when no complete line remains.
bool readLine(const QByteArray &output, qsizetype *pos, QByteArray *line)
{
    const qsizetype newline = output.indexOf('\n', *pos);
    if (newline < 0)
        return false;
    *line = output.mid(*pos, newline - *pos);
    *pos = newline + 1;
    return true;
}

// "SIZE MTIME INODE CTIME DEVICE REST" with REST non-empty; times as find's %T@ or, in the
// cache, plain nanoseconds.
bool parseIdentity(const QByteArray &record, bool timesInNanoseconds, FileIdentity *identity, QByteArray *rest)
{
    QByteArray fields[kIdentityFields];
    qsizetype at = 0;
    for (int i = 0; i < kIdentityFields; ++i) {
        const qsizetype space = record.indexOf(' ', at);
        if (space < 0)
            return false;
        fields[i] = record.mid(at, space - at);
        at = space + 1;
    }
    *rest = record.mid(at);
    if (rest->isEmpty())
        return false;
    quint64 size = 0;
    quint64 inode = 0;
    quint64 device = 0;
    if (!parseUnsigned(fields[0], &size) || !parseUnsigned(fields[2], &inode) || !parseUnsigned(fields[4], &device))
        return false;
    if (size > quint64(std::numeric_limits<qint64>::max()))
        return false;   // no file is that large; as a qint64 it would turn negative
    identity->size = qint64(size);
    identity->inode = inode;
    identity->device = device;
    if (timesInNanoseconds) {
        bool okM = false;
        bool okC = false;
        identity->mtimeNs = fields[1].toLongLong(&okM);
        identity->ctimeNs = fields[3].toLongLong(&okC);
        return okM && okC;
    }
    return RemoteChecksumParser::parseTimestamp(fields[1], &identity->mtimeNs)
        && RemoteChecksumParser::parseTimestamp(fields[3], &identity->ctimeNs);
}

// A listed name that would leave the base folder once joined to it (or forge a line in a
// message) is refused with the whole answer: a server that sends one is not to be trusted
// with the others either.
Error unsafePathError(const QByteArray &path, qsizetype offset)
{
    return makeError(ErrorCode::Protocol, QStringLiteral("the server listed the unsafe file name %1 (%2) at byte %3; nothing was copied")
                                              .arg(SafeRelativePath::quoted(path), SafeRelativePath::problem(path))
                                              .arg(offset));
}

bool parseStatus(const QByteArray &line, const QByteArray &marker, int *status)
{
    if (!line.startsWith(marker))
        return false;
    bool ok = false;
    *status = line.mid(marker.size()).toInt(&ok);
    return ok;
}

} // namespace

bool RemoteChecksumParser::parseTimestamp(const QByteArray &text, qint64 *nanoseconds)
{
    QByteArray digits = text;
    bool negative = false;
    if (digits.startsWith('-')) {
        negative = true;
        digits.remove(0, 1);
    }
    const qsizetype dot = digits.indexOf('.');
    const QByteArray whole = dot < 0 ? digits : digits.left(dot);
    QByteArray fraction = dot < 0 ? QByteArray() : digits.mid(dot + 1);
    quint64 seconds = 0;
    quint64 fractionValue = 0;
    if (!parseUnsigned(whole, &seconds) || seconds > quint64(9000000000))
        return false;
    if (dot >= 0 && !parseUnsigned(fraction, &fractionValue))
        return false;
    fraction = fraction.left(9).leftJustified(9, '0');
    fractionValue = fraction.toULongLong();
    const qint64 value = qint64(seconds) * 1000000000 + qint64(fractionValue);
    *nanoseconds = negative ? -value : value;
    return true;
}

Result<RemoteListingOutput> RemoteChecksumParser::parseListing(const QByteArray &output)
{
    Result<Body> body = completeBody(output);
    if (!body)
        return body.error();
    const qsizetype end = body->end;

    RemoteListingOutput listing;
    qsizetype pos = body->start;
    QByteArray line;
    bool sawRoot = false;
    bool sawList = false;
    while (pos < end) {
        const qsizetype lineStart = pos;
        if (!readLine(output, &pos, &line))
            return formatError(QStringLiteral("an unfinished line"), lineStart);
        if (line.startsWith("@@now ")) {
            if (!parseTimestamp(line.mid(6), &listing.serverNowNs) || !line.contains('.'))
                listing.serverNowNs = 0;   // a date without %N: cache nothing new, but go on
        } else if (line.startsWith("@@error ")) {
            return makeError(ErrorCode::RemoteFailed, QString::fromUtf8(line.mid(8)));
        } else if (line.startsWith("@@root ")) {
            const QByteArray kind = line.mid(7);
            if (kind == "dir")
                listing.rootKind = RemoteRootKind::Folder;
            else if (kind == "file")
                listing.rootKind = RemoteRootKind::File;
            else if (kind == "missing")
                listing.rootKind = RemoteRootKind::Missing;
            else if (kind == "other")
                listing.rootKind = RemoteRootKind::Other;
            else if (kind == "unreadable")
                listing.rootKind = RemoteRootKind::Unreadable;
            else
                return formatError(QStringLiteral("unknown root kind \"%1\"").arg(QString::fromUtf8(kind)), lineStart);
            sawRoot = true;
        } else if (line == "@@list") {
            if (!sawRoot)
                return formatError(QStringLiteral("a listing before the root's kind"), lineStart);
            sawList = true;
            // Records until the status marker; a record starts with a digit, never with "@@".
            while (!output.mid(pos, 2).startsWith("@@")) {
                const qsizetype nul = output.indexOf('\0', pos);
                if (nul < 0 || nul >= end)
                    return formatError(QStringLiteral("a file record without its terminating NUL"), pos);
                RemoteListedFile file;
                if (!parseIdentity(output.mid(pos, nul - pos), false, &file.identity, &file.path))
                    return formatError(QStringLiteral("a malformed file record"), pos);
                if (!SafeRelativePath::problem(file.path).isEmpty())
                    return unsafePathError(file.path, pos);
                listing.files.append(file);
                pos = nul + 1;
            }
        } else if (line.startsWith("@@list-status ")) {
            if (!parseStatus(line, "@@list-status ", &listing.listStatus))
                return formatError(QStringLiteral("a malformed list status"), lineStart);
        } else if (line == "@@cache") {
            if (!sawList)
                return formatError(QStringLiteral("a cache before the listing"), lineStart);
            listing.cache = parseCache(output.mid(pos, end - pos));
            pos = end;
        } else {
            return formatError(QStringLiteral("an unknown line \"%1\"").arg(QString::fromUtf8(line.left(40))), lineStart);
        }
    }
    if (!sawRoot)
        return formatError(QStringLiteral("no root kind"), pos);
    if ((listing.rootKind == RemoteRootKind::Folder || listing.rootKind == RemoteRootKind::File) && !sawList)
        return formatError(QStringLiteral("no listing for an existing root"), pos);
    return listing;
}

QList<QByteArray> RemoteChecksumParser::takeHashedPaths(const QByteArray &output, qsizetype *offset)
{
    QList<QByteArray> paths;
    if (*offset == 0) {
        const qsizetype marker = output.indexOf("\n@@hashes\n");
        if (marker < 0)
            return paths;
        *offset = marker + 10;
    }
    for (;;) {
        const qsizetype nul = output.indexOf('\0', *offset);
        if (nul < 0)
            return paths;
        const QByteArray record = output.mid(*offset, nul - *offset);
        *offset = nul + 1;
        if (record.size() > 36 && isMd5Hex(record.left(32)) && record.mid(34, 2) == "./")
            paths.append(record.mid(36));
    }
}

Result<RemoteHashOutput> RemoteChecksumParser::parseHashes(const QByteArray &output)
{
    Result<Body> body = completeBody(output);
    if (!body)
        return body.error();
    const qsizetype end = body->end;

    RemoteHashOutput hashes;
    qsizetype pos = body->start;
    QByteArray line;
    bool sawStatus = false;
    while (pos < end) {
        const qsizetype lineStart = pos;
        if (!readLine(output, &pos, &line))
            return formatError(QStringLiteral("an unfinished line"), lineStart);
        if (line.startsWith("@@error ")) {
            return makeError(ErrorCode::RemoteFailed, QString::fromUtf8(line.mid(8)));
        } else if (line == "@@hashes") {
            while (!output.mid(pos, 2).startsWith("@@")) {
                const qsizetype nul = output.indexOf('\0', pos);
                if (nul < 0 || nul >= end)
                    return formatError(QStringLiteral("a record without its terminating NUL"), pos);
                const QByteArray record = output.mid(pos, nul - pos);
                if (record.startsWith("S ")) {
                    FileIdentity identity;
                    QByteArray path;
                    if (!parseIdentity(record.mid(2), false, &identity, &path) || !path.startsWith("./") || path.size() < 3)
                        return formatError(QStringLiteral("a malformed status record"), pos);
                    if (!SafeRelativePath::problem(path.mid(2)).isEmpty())
                        return unsafePathError(path.mid(2), pos);
                    hashes.after.insert(path.mid(2), identity);
                } else {
                    // md5sum: 32 hex digits, a space, ' ' (text) or '*' (binary), the name.
                    if (record.size() < 37 || !isMd5Hex(record.left(32)) || record.at(32) != ' '
                        || (record.at(33) != ' ' && record.at(33) != '*') || record.mid(34, 2) != "./")
                        return formatError(QStringLiteral("a malformed md5sum record"), pos);
                    if (!SafeRelativePath::problem(record.mid(36)).isEmpty())
                        return unsafePathError(record.mid(36), pos);
                    hashes.md5.insert(record.mid(36), QString::fromLatin1(record.left(32)));
                }
                pos = nul + 1;
            }
        } else if (line.startsWith("@@hash-status ")) {
            if (!parseStatus(line, "@@hash-status ", &hashes.status))
                return formatError(QStringLiteral("a malformed hash status"), lineStart);
            sawStatus = true;
        } else {
            return formatError(QStringLiteral("an unknown line \"%1\"").arg(QString::fromUtf8(line.left(40))), lineStart);
        }
    }
    if (!sawStatus)
        return formatError(QStringLiteral("no hash status"), pos);
    return hashes;
}

Result<bool> RemoteChecksumParser::parseSaved(const QByteArray &output)
{
    Result<qsizetype> start = bodyStart(output);
    if (!start)
        return start.error();
    const QByteArray body = output.mid(*start);
    if (body == "@@saved 1\n@@end\n")
        return true;
    if (body == "@@saved 0\n@@end\n")
        return false;
    if (body.startsWith("@@error "))
        return makeError(ErrorCode::RemoteFailed, QString::fromUtf8(body.mid(8, body.indexOf('\n') - 8)));
    return formatError(QStringLiteral("no \"@@saved\" line"), *start);
}

RemoteCache RemoteChecksumParser::parseCache(const QByteArray &bytes)
{
    RemoteCache cache;
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        const qsizetype nul = bytes.indexOf('\0', pos);
        if (nul < 0)
            return {};
        FileIdentity identity;
        QByteArray rest;
        if (!parseIdentity(bytes.mid(pos, nul - pos), true, &identity, &rest))
            return {};
        // rest: "MD5 RELPATH"
        if (rest.size() < 34 || rest.at(32) != ' ' || !isMd5Hex(rest.left(32)))
            return {};
        if (!SafeRelativePath::problem(rest.mid(33)).isEmpty())
            return {};
        cache.insert(rest.mid(33), RemoteCacheEntry{identity, QString::fromLatin1(rest.left(32))});
        pos = nul + 1;
    }
    return cache;
}

QByteArray RemoteChecksumParser::formatCache(const RemoteCache &cache)
{
    // Sorted, so that an unchanged cache is byte-for-byte the same file.
    QList<QByteArray> paths = cache.keys();
    std::sort(paths.begin(), paths.end());
    QByteArray out;
    for (const QByteArray &path : paths) {
        const RemoteCacheEntry &entry = cache[path];
        const FileIdentity &id = entry.identity;
        out += QByteArray::number(id.size) + ' ' + QByteArray::number(id.mtimeNs) + ' ' + QByteArray::number(id.inode)
            + ' ' + QByteArray::number(id.ctimeNs) + ' ' + QByteArray::number(id.device) + ' ' + entry.md5.toLatin1()
            + ' ' + path + '\0';
    }
    return out;
}

} // namespace rdt
