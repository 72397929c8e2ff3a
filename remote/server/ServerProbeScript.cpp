// The text of the server probe script. It is POSIX sh (dash, bash, busybox) because the
// server's login shell is unknown; the command runs it with `sh -c`.
#include "ServerProbeScript.h"

namespace rdt {

namespace {

// Keep in step with ServerProbe.cpp, which reads these section names and keys. Each check
// runs as a shell function inside `section`, which prefixes its lines and reports its
// status; variables the later sections need (trainer) are set outside `section` because its
// fallback path runs the function in a subshell.
constexpr char kScript[] = R"sh(
root=${1-}
model=${2-}
case $root in "~") root=$HOME ;; "~/"*) root=$HOME/${root#"~/"} ;; esac
case $model in "~") model=$HOME ;; "~/"*) model=$HOME/${model#"~/"} ;; esac
# Absolute from here on: a relative root is relative to the home sshd starts us in, and a
# path that starts with `-` must never reach a command where it reads as an option.
case $root in "" | /*) ;; *) root=$PWD/$root ;; esac
LC_ALL=C
export LC_ALL
unset CDPATH
# A non-interactive ssh session often lacks the PATH of a login shell.
PATH=$PATH:/usr/local/bin:/usr/bin:/bin:/usr/local/nvidia/bin:$HOME/.local/bin
export PATH

tmp=$(mktemp -d 2>/dev/null) || tmp=
cleanup() { if [ -n "$tmp" ]; then rm -rf -- "$tmp"; fi; }
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

have() { command -v "$1" >/dev/null 2>&1; }

# nvidia-smi hangs when the driver is wedged, du on a dead network mount: 30 s each at most.
limited() {
    if have timeout; then timeout 30 "$@"; else "$@"; fi
}

# The SSH channel's stdin stays open, so a sub-command that reads it would wait for ever:
# each gets /dev/null.
section() {
    printf '@@section %s\n' "$1"
    shift
    if [ -n "$tmp" ]; then
        "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
        probe_status=$?
        awk '{ print "|" $0 }' "$tmp/out"
        awk '{ print "!" $0 }' "$tmp/err"
    else
        probe_out=$("$@" </dev/null 2>/dev/null)
        probe_status=$?
        if [ -n "$probe_out" ]; then printf '%s\n' "$probe_out" | awk '{ print "|" $0 }'; fi
    fi
    printf '@@status %d\n' "$probe_status"
}

probe_os() {
    printf 'kernel=%s\n' "$(uname -s)"
    printf 'release=%s\n' "$(uname -r)"
    printf 'machine=%s\n' "$(uname -m)"
    if [ -r /etc/os-release ]; then
        sed -n 's/^PRETTY_NAME=//p' /etc/os-release | awk 'NR == 1 { print "pretty=" $0 }'
    fi
}

probe_cpu() {
    count=$(getconf _NPROCESSORS_ONLN 2>/dev/null) || count=
    if [ -z "$count" ]; then count=$(nproc 2>/dev/null) || count=; fi
    printf 'count=%s\n' "$count"
    if [ -r /proc/cpuinfo ]; then
        awk -F': *' '/^model name/ { print "model=" $2; exit }' /proc/cpuinfo
    fi
}

probe_memory() {
    if [ ! -r /proc/meminfo ]; then echo "/proc/meminfo is not readable" >&2; return 1; fi
    awk '$1 == "MemTotal:" { print "total_kb=" $2 }
         $1 == "MemAvailable:" { print "available_kb=" $2 }' /proc/meminfo
}

probe_gpus() {
    if ! have nvidia-smi; then echo "nvidia-smi: not found on PATH" >&2; return 127; fi
    limited nvidia-smi \
        --query-gpu=index,name,memory.total,memory.used,utilization.gpu,temperature.gpu \
        --format=csv,noheader,nounits
}

probe_root() {
    printf 'path=%s\n' "$root"
    if [ -z "$root" ]; then echo "no remote root folder was given" >&2; return 2; fi
    if [ ! -e "$root" ]; then echo 'exists=0'; return 0; fi
    echo 'exists=1'
    if [ ! -d "$root" ]; then echo 'directory=0'; return 0; fi
    echo 'directory=1'
    if [ -w "$root" ]; then echo 'writable=1'; else echo 'writable=0'; fi
    for folder in datasets checkpoints configs; do
        if [ -d "$root/$folder" ]; then echo "folder_$folder=1"; else echo "folder_$folder=0"; fi
    done
    printf 'absolute=%s\n' "$(cd -- "$root" 2>/dev/null && pwd -P)"
}

# df needs an existing path: the root if it exists, else its nearest existing parent, which
# is where `mkdir -p` would put it.
probe_disk() {
    dir=${root:-.}
    hops=0
    while [ ! -e "$dir" ] && [ "$hops" -lt 64 ]; do
        dir=$(dirname -- "$dir")
        hops=$((hops + 1))
    done
    case $dir in -*) dir=./$dir ;; esac
    limited df -Pk -- "$dir"
}

trainer=
trainer_source=
if [ -n "$root" ]; then
    for candidate in "$root/bin/rdt-trainer" "$root/build/training/rdt-trainer"; do
        if [ -f "$candidate" ] && [ -x "$candidate" ]; then
            trainer=$candidate
            trainer_source=root
            break
        fi
    done
fi
if [ -z "$trainer" ] && have rdt-trainer; then
    trainer=$(command -v rdt-trainer)
    trainer_source=path
fi

probe_trainer() {
    if [ -z "$trainer" ]; then
        echo "rdt-trainer: not in ROOT/bin, ROOT/build/training or on PATH" >&2
        return 127
    fi
    printf 'path=%s\n' "$trainer"
    printf 'found_in=%s\n' "$trainer_source"
}

probe_trainer_info() {
    if [ -z "$trainer" ]; then return 127; fi
    limited "$trainer" info --json
}

probe_model() {
    printf 'path=%s\n' "$1"
    if [ ! -e "$1" ]; then echo 'exists=0'; return 0; fi
    echo 'exists=1'
    for file in config.json model.safetensors pytorch_model.bin; do
        if [ -f "$1/$file" ]; then
            key=$(printf '%s' "$file" | tr '.' '_')
            printf '%s=%s\n' "$key" "$(wc -c <"$1/$file" | tr -d ' ')"
        fi
    done
    printf 'size_kb=%s\n' "$(limited du -sk -- "$1" 2>/dev/null | awk '{ print $1; exit }')"
}

probe_model_search() {
    printf 'requested=%s\n' "$model"
}

probe_tmux() {
    if ! have tmux; then echo "tmux: not found on PATH" >&2; return 127; fi
    tmux -V
}

printf '\n@@rdt-server-probe 1\n'
section gpus probe_gpus
section disk probe_disk
section trainer probe_trainer
section trainer-info probe_trainer_info
section root probe_root
section model-search probe_model_search
if [ -n "$model" ]; then
    case $model in /*) ;; *) model=$root/$model ;; esac
    section model probe_model "$model"
elif [ -n "$root" ]; then
    found=0
    for candidate in "$root"/checkpoints/*/ "$root"/models/*/; do
        candidate=${candidate%/}
        if [ "$found" -lt 16 ] && { [ -f "$candidate/config.json" ] ||
            [ -f "$candidate/model.safetensors" ] || [ -f "$candidate/pytorch_model.bin" ]; }; then
            section model probe_model "$candidate"
            found=$((found + 1))
        fi
    done
fi
section tmux probe_tmux
section cpu probe_cpu
section memory probe_memory
section os probe_os
printf '@@end\n'
exit 0
)sh";

} // namespace

QByteArray ServerProbeScript::script()
{
    return QByteArray(kScript);
}

QList<QByteArray> ServerProbeScript::command(const QString &remoteRoot, const QString &modelFolder)
{
    // $0 names the script in the shell's own error messages.
    QList<QByteArray> argv{QByteArrayLiteral("sh"), QByteArrayLiteral("-c"), script(),
                           QByteArrayLiteral("rdt-server-probe"), remoteRoot.toUtf8()};
    if (!modelFolder.isEmpty())
        argv.append(modelFolder.toUtf8());
    return argv;
}

} // namespace rdt
