// The deploy scripts. PATH gains the places a user-level CMake or Ninja lands
// (pip install --user puts them in ~/.local/bin) but not the system folders, so a server
// whose PATH lacks cmake is reported as such rather than silently built with another one.
#include "TrainerDeployScripts.h"

namespace rdt {
namespace {

// end_session ID: ends the build started as session and process group ID. Ninja runs
// each command in a process group of its own (so that it can stop them itself), so the
// group alone would miss the compilers when ninja cannot pass the signal on: the whole
// session goes. dash's kill takes no "--": "-ID" directly after the signal.
// Put in front of the build and stop scripts.
constexpr char kEndSession[] = R"SH(end_session() {
  kill -TERM -"$1" 2>/dev/null || kill -TERM "$1" 2>/dev/null
  command -v pkill >/dev/null 2>&1 && pkill -TERM -s "$1" 2>/dev/null
  return 0
}
)SH";

constexpr char kInspect[] = R"SH(root=$1 libtorch=$2
PATH=$PATH:/usr/local/bin:$HOME/.local/bin
LC_ALL=C; export LC_ALL
printf '\n@rdt-deploy-inspect 1\n'
case $root in "~") root=$HOME ;; "~/"*) root=$HOME/${root#??} ;; esac
case $root in /*) ;; *) root=$HOME/$root ;; esac
if [ -d "$root" ]; then root=$(cd -- "$root" && pwd -P); fi
printf '@root %s\n' "$root"
limited() { if command -v timeout >/dev/null 2>&1; then timeout 60 "$@"; else "$@"; fi; }

# The same places, in the same order, as the server check (ServerProbeScript).
trainer=
for candidate in "$root/bin/rdt-trainer" "$root/build/training/rdt-trainer"; do
  if [ -f "$candidate" ] && [ -x "$candidate" ]; then trainer=$candidate; break; fi
done
[ -n "$trainer" ] || trainer=$(command -v rdt-trainer 2>/dev/null) || trainer=
if [ -n "$trainer" ]; then
  printf '@trainer %s\n' "$trainer"
  out=$(limited "$trainer" info --json 2>&1); s=$?
  printf '@trainer-info %s\n' "$s"
  printf '%s\n' "$out" | head -n 20 | sed 's/^/|/'
  if [ "$trainer" = "$root/bin/rdt-trainer" ] && [ -f "$root/bin/rdt-trainer.source" ]; then
    printf '@installed-%s\n' "$(grep '^sha256 ' "$root/bin/rdt-trainer.source" | head -n 1)"
  fi
fi

if c=$(command -v cmake 2>/dev/null); then
  printf '@cmake %s %s\n' "$c" "$(cmake --version 2>/dev/null | head -n 1 | sed 's/^cmake version //')"
else
  printf '@no-cmake\n'
fi
if command -v ninja >/dev/null 2>&1 || command -v ninja-build >/dev/null 2>&1; then
  printf '@generator Ninja\n'
elif command -v make >/dev/null 2>&1; then
  printf '@generator Unix Makefiles\n'
else
  printf '@no-generator\n'
fi
for t in tar gzip; do command -v "$t" >/dev/null 2>&1 || printf '@missing %s\n' "$t"; done

# LibTorch: the folder the user named, else an installed PyTorch's, else the system's.
found=
if [ -n "$libtorch" ]; then
  case $libtorch in "~/"*) libtorch=$HOME/${libtorch#??} ;; esac
  for c in "$libtorch/share/cmake/Torch" "$libtorch/lib/cmake/Torch" "$libtorch/Torch" "$libtorch"; do
    if [ -f "$c/TorchConfig.cmake" ]; then found=$c; break; fi
    printf '@looked %s\n' "$c/TorchConfig.cmake"
  done
  if [ -n "$found" ]; then printf '@libtorch named %s\n' "$found"; else printf '@no-libtorch named\n'; fi
else
  if py=$(command -v python3 2>/dev/null); then
    p=$(limited "$py" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null | tail -n 1)
    if [ -n "$p" ] && [ -f "$p/Torch/TorchConfig.cmake" ]; then
      found=$p/Torch
      printf '@libtorch python %s\n' "$found"
    else
      printf '@looked %s\n' "an installed PyTorch ($py has no torch module)"
    fi
  else
    printf '@looked %s\n' "an installed PyTorch (no python3 on PATH)"
  fi
  if [ -z "$found" ]; then
    for c in /usr/lib/*/cmake/Torch /usr/lib/cmake/Torch /usr/share/cmake/Torch /usr/local/lib/cmake/Torch \
             /usr/local/share/cmake/Torch /opt/libtorch/share/cmake/Torch; do
      if [ -f "$c/TorchConfig.cmake" ]; then found=$c; break; fi
    done
    printf '@libtorch system %s\n' "$found"
    [ -n "$found" ] || printf '@looked %s\n' "the system's CMake packages (/usr, /usr/local, /opt/libtorch)"
  fi
fi
printf '@path %s\n' "$PATH"
printf '@end\n'
)SH";

// $1 root, $2 archive, $3 generator, $4 LibTorch's cmake argument, $5 version, $6 stamp,
// then extra cmake arguments.
constexpr char kBuild[] = R"SH(root=$1 archive=$2 generator=$3 torcharg=$4 version=$5 stamp=$6; shift 6
PATH=$PATH:/usr/local/bin:$HOME/.local/bin
LC_ALL=C; export LC_ALL
work=$root/.rdt/trainer
printf '\n@rdt-deploy-build 1\n'
mkdir -p -- "$work" "$root/bin" || { printf '@fail cannot create %s and %s\n' "$work" "$root/bin"; exit 0; }
# Two deploys into one root would build over each other.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$work/lock"
  flock -n 9 || { printf '@fail another deploy is building under %s\n' "$root"; exit 0; }
fi
pidfile=$work/build.pid
stop() {
  if [ -s "$pidfile" ]; then read -r g < "$pidfile"; end_session "$g"; fi
  rm -f -- "$pidfile"
  exit 143
}
trap stop TERM INT HUP
# "$@" in a process group of its own (its id in $pidfile), so that stopping it ends every
# compiler under it too; waited for in the background so the trap runs at once.
group() {
  if command -v setsid >/dev/null 2>&1; then setsid "$@" </dev/null 2>&1 & else "$@" </dev/null 2>&1 & fi
  g=$!
  printf '%s\n' "$g" > "$pidfile"
  wait "$g"; s=$?
  rm -f -- "$pidfile"
  return $s
}

printf '@stage unpack\n'
new=$work/source.new
rm -rf -- "$new" && mkdir -p -- "$new" "$work/source" && tar -xzf "$archive" -C "$new" \
  || { printf '@fail cannot unpack %s into %s\n' "$archive" "$new"; exit 0; }
# Only files whose contents changed replace the old ones, so their new modification times
# make the build recompile exactly what changed; files no longer in the source go.
(cd -- "$new" && find . -type f) | while IFS= read -r f; do
  if ! cmp -s -- "$new/$f" "$work/source/$f"; then
    mkdir -p -- "$(dirname -- "$work/source/$f")" && cp -- "$new/$f" "$work/source/$f"
  fi
done
(cd -- "$work/source" && find . -type f) | while IFS= read -r f; do
  [ -e "$new/$f" ] || rm -f -- "$work/source/$f"
done
rm -rf -- "$new"

printf '@stage configure\n'
# A build folder made with another generator cannot be configured again.
if [ -f "$work/build/CMakeCache.txt" ] && ! grep -qxF "CMAKE_GENERATOR:INTERNAL=$generator" "$work/build/CMakeCache.txt"; then
  rm -rf -- "$work/build"
fi
set -- -S "$work/source" -B "$work/build" -G "$generator" -DCMAKE_BUILD_TYPE=Release "$torcharg" "$@"
group cmake "$@" || { printf '@configure-failed %s\n' "$?"; exit 0; }

# LibTorch's headers take 1 to 2 GB per compiler: no more jobs than half the free GiB.
jobs=$(nproc 2>/dev/null || echo 2)
mem=$(awk '/^MemAvailable:/ { print int($2 / 2097152) }' /proc/meminfo 2>/dev/null)
case $mem in ''|*[!0-9]*) ;; *) [ "$mem" -lt "$jobs" ] && jobs=$mem ;; esac
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
printf '@stage build %s\n' "$jobs"
group cmake --build "$work/build" --target rdt-trainer --parallel "$jobs" || { printf '@build-failed %s\n' "$?"; exit 0; }

printf '@stage install\n'
next=$root/bin/.rdt-trainer.new
cp -- "$work/build/rdt-trainer" "$next" && chmod 755 -- "$next" \
  || { printf '@fail cannot copy the trainer to %s\n' "$next"; exit 0; }
if command -v timeout >/dev/null 2>&1; then out=$(timeout 60 "$next" info --json 2>&1); else out=$("$next" info --json 2>&1); fi
s=$?
if [ "$s" -ne 0 ]; then
  printf '@verify-failed %s\n' "$s"; printf '%s\n' "$out" | head -n 20 | sed 's/^/|/'; rm -f -- "$next"; exit 0
fi
info=$(printf '%s\n' "$out" | grep '^{' | tail -n 1)
case $info in
  *"\"version\":\"$version\""*) ;;
  *) printf '@wrong-version %s\n' "$info"; rm -f -- "$next"; exit 0 ;;
esac
printf '%s' "$stamp" > "$root/bin/.rdt-trainer.source.new" \
  && mv -f -- "$next" "$root/bin/rdt-trainer" \
  && mv -f -- "$root/bin/.rdt-trainer.source.new" "$root/bin/rdt-trainer.source" \
  || { printf '@fail cannot rename %s into place\n' "$next"; exit 0; }
printf '@info %s\n' "$info"
printf '@installed %s\n' "$root/bin/rdt-trainer"
)SH";

// The build script removes the pid file once its build has ended, unless it was ended
// itself along with the connection; so this removes it too.
constexpr char kStopBuild[] = R"SH(f=$1/.rdt/trainer/build.pid
[ -s "$f" ] || exit 0
read -r g < "$f" && end_session "$g"
rm -f -- "$f"
exit 0
)SH";

QList<QByteArray> shArgv(const char *name, const QByteArray &script, const QList<QByteArray> &arguments)
{
    return QList<QByteArray>{"sh", "-c", script, name} + arguments;
}

} // namespace

QList<QByteArray> TrainerDeployScripts::inspect(const QString &root, const QString &libtorchFolder)
{
    return shArgv("rdt-deploy-inspect", kInspect, {root.toUtf8(), libtorchFolder.toUtf8()});
}

QList<QByteArray> TrainerDeployScripts::build(const QString &absoluteRoot, const QString &archive,
                                              const QString &generator, const QString &libtorchArgument,
                                              const QString &version, const QByteArray &stamp,
                                              const QStringList &extraCmakeArguments)
{
    QList<QByteArray> arguments = {absoluteRoot.toUtf8(), archive.toUtf8(), generator.toUtf8(),
                                   libtorchArgument.toUtf8(), version.toUtf8(), stamp};
    for (const QString &argument : extraCmakeArguments)
        arguments.append(argument.toUtf8());
    return shArgv("rdt-deploy-build", QByteArray(kEndSession) + kBuild, arguments);
}

QList<QByteArray> TrainerDeployScripts::stopBuild(const QString &absoluteRoot)
{
    return shArgv("rdt-deploy-stop", QByteArray(kEndSession) + kStopBuild, {absoluteRoot.toUtf8()});
}

QString TrainerDeployScripts::workFolder(const QString &absoluteRoot)
{
    return absoluteRoot + QStringLiteral("/.rdt/trainer");
}

QString TrainerDeployScripts::installedTrainer(const QString &absoluteRoot)
{
    return absoluteRoot + QStringLiteral("/bin/rdt-trainer");
}

} // namespace rdt
