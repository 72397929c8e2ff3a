// The texts of the checksum scripts. POSIX sh for the shell itself (dash, bash); GNU find
// and md5sum for the work, because only their NUL-terminated output frames any file name.
#include "RemoteChecksumScript.h"

namespace rdt {

namespace {

// Shared by the three scripts: the root made absolute (so that no path starts with '-'),
// the base folder and the file name within it. "./" is put in front of every relative path
// handed to a command for the same reason.
constexpr char kPrologue[] = R"sh(
root=${1-}
case $root in "~") root=$HOME ;; "~/"*) root=$HOME/${root#"~/"} ;; esac
LC_ALL=C
export LC_ALL
unset CDPATH
PATH=$PATH:/usr/local/bin:/usr/bin:/bin
export PATH
printf '\n@@rdt-remote-md5 1\n'
case $root in
"") printf '@@error no remote path was given\n@@end\n'; exit 0 ;;
/*) ;;
*) root=$PWD/$root ;;
esac
while :; do
    case $root in /) break ;; */) root=${root%/} ;; *) break ;; esac
done
name=
if [ -d "$root" ]; then
    kind=dir
    base=$root
elif [ -f "$root" ]; then
    kind=file
    base=${root%/*}
    [ -n "$base" ] || base=/
    name=${root##*/}
elif [ -e "$root" ] || [ -L "$root" ]; then
    kind=other
else
    kind=missing
fi
)sh";

constexpr char kList[] = R"sh(
now=$(date +%s.%N 2>/dev/null) || now=
printf '@@now %s\n' "$now"
case $kind in
missing|other) printf '@@root %s\n@@end\n' "$kind"; exit 0 ;;
esac
if ! cd -- "$base" 2>/dev/null; then printf '@@root unreadable\n@@end\n'; exit 0; fi
printf '@@root %s\n@@list\n' "$kind"
if [ "$kind" = dir ]; then
    find . -path ./.rdt -prune -o -type f -printf '%s %T@ %i %C@ %D %P\0'
else
    find -H "./$name" -maxdepth 0 -type f -printf '%s %T@ %i %C@ %D %f\0'
fi
printf '@@list-status %d\n@@cache\n' "$?"
if [ -f .rdt/md5-cache ] && [ -r .rdt/md5-cache ]; then cat .rdt/md5-cache; fi
printf '@@end\n'
)sh";

// md5sum first, then find on the same batch: a file whose identity after hashing equals the
// one listed before did not change in between (ctime moves on every write). md5sum -z (and
// its unescaped names) came with coreutils 8.29; older servers (CentOS 7, Ubuntu 18.04) hash
// each file from standard input instead, one md5sum per file, with the name framed by us.
constexpr char kHash[] = R"sh(
case $kind in
dir|file) ;;
*) printf '@@error the path is gone\n@@end\n'; exit 0 ;;
esac
if ! cd -- "$base" 2>/dev/null; then printf '@@error cannot enter the folder\n@@end\n'; exit 0; fi
printf '@@hashes\n'
after='find -H "$@" -maxdepth 0 -type f -printf "S %s %T@ %i %C@ %D %p\0"'
if md5sum -z </dev/null >/dev/null 2>&1; then
    xargs -0r sh -c 'md5sum -z -- "$@"; '"$after" rdt-md5-batch
else
    xargs -0r sh -c 'for f; do h=$(md5sum <"$f") && printf "%s  %s\0" "${h%% *}" "$f"; done; '"$after" rdt-md5-batch
fi
printf '@@hash-status %d\n@@end\n' "$?"
)sh";

// mktemp's random name in the same folder, then mv -f: the cache file is replaced whole
// or not at all, even with two clients saving at once.
constexpr char kSave[] = R"sh(
case $kind in
dir|file) ;;
*) cat >/dev/null; printf '@@saved 0\n@@end\n'; exit 0 ;;
esac
saved=0
if mkdir -p -- "$base/.rdt" 2>/dev/null; then
    tmp=$(mktemp "$base/.rdt/md5-cache.XXXXXX" 2>/dev/null) || tmp=$base/.rdt/md5-cache.tmp.$$
    if cat >"$tmp" 2>/dev/null && mv -f -- "$tmp" "$base/.rdt/md5-cache" 2>/dev/null; then
        saved=1
    else
        rm -f -- "$tmp"
    fi
fi
if [ "$saved" = 0 ]; then cat >/dev/null; fi
printf '@@saved %d\n@@end\n' "$saved"
)sh";

QList<QByteArray> commandFor(const QByteArray &script, const char *name, const QString &remoteRoot)
{
    return {QByteArrayLiteral("sh"), QByteArrayLiteral("-c"), script, QByteArray(name), remoteRoot.toUtf8()};
}

} // namespace

QByteArray RemoteChecksumScript::listScript()
{
    return QByteArray(kPrologue) + kList;
}

QByteArray RemoteChecksumScript::hashScript()
{
    return QByteArray(kPrologue) + kHash;
}

QByteArray RemoteChecksumScript::saveScript()
{
    return QByteArray(kPrologue) + kSave;
}

QList<QByteArray> RemoteChecksumScript::listCommand(const QString &remoteRoot)
{
    return commandFor(listScript(), "rdt-md5-list", remoteRoot);
}

QList<QByteArray> RemoteChecksumScript::hashCommand(const QString &remoteRoot)
{
    return commandFor(hashScript(), "rdt-md5-hash", remoteRoot);
}

QList<QByteArray> RemoteChecksumScript::saveCommand(const QString &remoteRoot)
{
    return commandFor(saveScript(), "rdt-md5-save", remoteRoot);
}

} // namespace rdt
