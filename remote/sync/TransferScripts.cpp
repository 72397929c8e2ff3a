// Transfer scripts. GNU coreutils and util-linux are assumed on the server (Linux GPU
// hosts): stat -c, truncate, flock, head -c, tee --output-error, touch -d @SECONDS,
// dd iflag=skip_bytes.
#include "TransferScripts.h"

#include "ScriptAnswer.h"

namespace rdt {
namespace {

// Expands a leading "~" of $1 into $HOME without a subshell (a command substitution
// would strip a file name's trailing newlines).
const char kExpandFirst[] = R"sh(p=$1
case $p in "~") p=$HOME ;; "~/"*) p=$HOME/${p#??} ;; esac
)sh";

// Printed first by every script whose standard output is read (ScriptAnswer).
const char kHeaderLine[] = "@@rdt-transfer 1";

QList<QByteArray> script(const char *name, const QByteArray &body, const QList<QByteArray> &arguments)
{
    QList<QByteArray> argv = {"sh", "-c", ScriptAnswer::printHeader(kHeaderLine) + QByteArray(kExpandFirst) + body,
                              QByteArray(name)};
    argv += arguments;
    return argv;
}

QByteArray utf8(const QString &text) { return text.toUtf8(); }

} // namespace

QString TransferScripts::partPath(const QString &finalPath)
{
    const int slash = finalPath.lastIndexOf(QLatin1Char('/'));
    const QString folder = slash >= 0 ? finalPath.left(slash + 1) : QString();
    const QString name = finalPath.mid(slash + 1);
    return folder + QLatin1Char('.') + name + QStringLiteral(".rdt-part");
}

QList<QByteArray> TransferScripts::prepareUpload(const QString &finalPath, qint64 maxPartSize)
{
    static const QByteArray body = R"sh(final=$p
part=$2
case $part in "~/"*) part=$HOME/${part#??} ;; esac
case $final in */*) dir=${final%/*}; [ -n "$dir" ] || dir=/ ;; *) dir=. ;; esac
if [ ! -d "$dir" ]; then echo "dir missing"; elif [ ! -w "$dir" ]; then echo "dir readonly"; else echo "dir ok"; fi
if [ -f "$part" ]; then
    # Wait for a writer of an earlier, cancelled attempt to finish (it holds the lock).
    exec 9<"$part" && flock -w 30 -s 9
    size=$(stat -c %s -- "$part")
    if [ "$size" -le "$3" ]; then sum=$(md5sum < "$part"); echo "part $size ${sum%% *}"; else echo "part $size"; fi
else
    echo "part -1"
fi
if [ -d "$final" ]; then echo "final dir"; elif [ -f "$final" ]; then echo "final $(stat -c %s -- "$final")"; else echo "final -1"; fi
if [ -d "$dir" ]; then echo "free $(df -Pk -- "$dir" | awk 'NR==2 {print $4}')"; fi
)sh";
    return script("rdt-upload-prepare", body,
                  {utf8(finalPath), utf8(partPath(finalPath)), QByteArray::number(maxPartSize)});
}

QList<QByteArray> TransferScripts::receiveUpload(const QString &finalPath, qint64 offset)
{
    // tee writes the part and passes the bytes on to md5sum, so the server hashes what it
    // stores while it stores it; --output-error=exit stops at the first write error (a
    // full disk) instead of reading the rest of the upload in vain.
    // The exclusive lock (util-linux flock, held by fd 9 in every process of the pipeline)
    // keeps a late writer of a cancelled attempt from appending to the resumed part, and
    // truncating to the offset makes the part exactly the prefix that was checked. The
    // prefix is read again under the lock and hashed ahead of the new bytes, so the MD5
    // printed is of the whole part as it now is: a part that another upload changed after
    // the check no longer matches the source. One shorter than the offset (gone, or cut)
    // cannot be resumed at all: "restart" says so before a byte is read.
    static const QByteArray body = R"sh(part=$p
{ exec 9>>"$part" && flock -w 30 -x 9; } || { echo "rdt-write-status 1" >&2; exit 1; }
size=$(stat -c %s -- "$part") || size=-1
if [ "$size" -lt "$2" ]; then echo "rdt-write-status restart" >&2; exit 1; fi
truncate -s "$2" -- "$part" || { echo "rdt-write-status 1" >&2; exit 1; }
{ head -c "$2" -- "$part"; { tee --output-error=exit -a -- "$part"; echo "rdt-write-status $?" >&2; }; } | md5sum
)sh";
    return script("rdt-upload-receive", body, {utf8(partPath(finalPath)), QByteArray::number(offset)});
}

QList<QByteArray> TransferScripts::finishUpload(const QString &finalPath, uint mode, qint64 mtimeSeconds)
{
    // rename(2) replaces the final name atomically: readers see the old file or the new
    // one, never a mixture (mv -f within one folder is a plain rename). -T: a folder
    // under the final name is an error, not a place to move the part into.
    static const QByteArray body = R"sh(final=$p
part=$2
case $part in "~/"*) part=$HOME/${part#??} ;; esac
chmod "$3" -- "$part" && touch -m -d "@$4" -- "$part" && mv -f -T -- "$part" "$final"
)sh";
    return script("rdt-upload-finish", body,
                  {utf8(finalPath), utf8(partPath(finalPath)), QByteArray::number(mode & 0777, 8),
                   QByteArray::number(mtimeSeconds)});
}

QList<QByteArray> TransferScripts::discardPart(const QString &finalPath)
{
    return script("rdt-discard-part", R"sh(rm -f -- "$p")sh", {utf8(partPath(finalPath))});
}

QList<QByteArray> TransferScripts::statFile(const QString &path)
{
    return script("rdt-stat", R"sh(if [ -f "$p" ]; then stat -L -c '%s %Y %a' -- "$p"; else echo missing; fi)sh",
                  {utf8(path)});
}

QList<QByteArray> TransferScripts::md5Prefix(const QString &path, qint64 bytes)
{
    // exec: a cancelled transfer's TERM (SshWorker) then reaches md5sum itself, not only
    // the shell waiting for it, which would leave md5sum reading the whole file.
    static const QByteArray body = R"sh(if [ "$2" -lt 0 ]; then exec md5sum < "$p"; else head -c "$2" -- "$p" | md5sum; fi)sh";
    return script("rdt-md5", body, {utf8(path), QByteArray::number(bytes)});
}

QList<QByteArray> TransferScripts::sendFrom(const QString &path, qint64 offset)
{
    // dd in 256 KiB blocks: tail -c +N copies 8 KiB at a time into the pipe (4 KiB writes),
    // which cost the server three times the system time of the whole download.
    return script("rdt-send", R"sh(exec dd if="$p" bs=256K skip="$2" iflag=skip_bytes status=none)sh",
                  {utf8(path), QByteArray::number(offset)});
}

// Each argument's "~/" is expanded in the loop, so one command serves any number of paths.
static QList<QByteArray> forEachPath(const char *name, const char *action, const QStringList &paths)
{
    QList<QByteArray> argv = {"sh", "-c",
                              QByteArray("for p in \"$@\"; do case $p in \"~/\"*) p=$HOME/${p#??} ;; esac; ") + action
                                  + QByteArray(" || exit 1; done"),
                              QByteArray(name)};
    for (const QString &path : paths)
        argv.append(path.toUtf8());
    return argv;
}

QList<QByteArray> TransferScripts::makeFolders(const QStringList &folders)
{
    return forEachPath("rdt-mkdir", "mkdir -p -- \"$p\"", folders);
}

QList<QByteArray> TransferScripts::removeFiles(const QStringList &files)
{
    return forEachPath("rdt-rm", "rm -f -- \"$p\"", files);
}

QList<QByteArray> TransferScripts::freeSpace(const QString &path)
{
    static const QByteArray body = R"sh(case $p in */*) dir=${p%/*}; [ -n "$dir" ] || dir=/ ;; *) dir=. ;; esac
df -Pk -- "$dir" | awk 'NR==2 {print $4}')sh";
    return script("rdt-free", body, {utf8(path)});
}

QByteArray TransferScripts::headerTag()
{
    return kHeaderLine;
}

std::optional<QByteArray> TransferScripts::answer(const QByteArray &output)
{
    return ScriptAnswer::after(output, kHeaderLine);
}

QHash<QByteArray, QByteArray> TransferScripts::answerLines(const QByteArray &output)
{
    QHash<QByteArray, QByteArray> values;
    for (const QByteArray &line : answer(output).value_or(QByteArray()).split('\n')) {
        const int space = line.indexOf(' ');
        if (space > 0)
            values.insert(line.left(space), line.mid(space + 1).trimmed());
    }
    return values;
}

QByteArray TransferScripts::md5Of(const QByteArray &output)
{
    const QByteArray trimmed = answer(output).value_or(QByteArray()).trimmed();
    const int space = trimmed.indexOf(' ');
    return space < 0 ? trimmed : trimmed.left(space);
}

} // namespace rdt
