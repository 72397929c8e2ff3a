// The run name rule and the shell functions the run scripts share.
#include "RunFolderLayout.h"

#include <QRegularExpression>

namespace rdt {
namespace {

// Patterns go to grep on standard input (-f -), never as arguments: grep's own command
// line would otherwise hold the run folder and match itself. -z: /proc/PID/cmdline
// separates arguments with NULs; -x: the whole argument.
constexpr char kFunctions[] = R"SH(LC_ALL=C; export LC_ALL
resolve_root() {
  case $root in "~") root=$HOME ;; "~/"*) root=$HOME/${root#??} ;; esac
  if [ ! -d "$root" ]; then printf '@no-root %s\n' "no such folder"; return 1; fi
  root=$(cd -- "$root" && pwd -P) || { printf '@no-root %s\n' "cannot enter it"; return 1; }
}
args_name_dir() {
  printf '%s\n' "$1" "$1/" "--output_dir=$1" "--output-dir=$1" "$1/launch.sh"
}
trainer_pid() {
  for pf in "$1/.rdt/trainer.pid" "$1/pid"; do
    [ -f "$pf" ] || continue
    read -r p < "$pf" || p=
    case $p in ''|*[!0-9]*) ;; *)
      if kill -0 "$p" 2>/dev/null; then
        if [ ! -r "/proc/$p/cmdline" ] || args_name_dir "$1" | grep -qazxF -f - "/proc/$p/cmdline" 2>/dev/null; then
          printf '%s\n' "$p"; return 0
        fi
      fi ;;
    esac
  done
  [ -d /proc/self ] || return 1
  for f in $(args_name_dir "$1" | grep -lazxF -f - /proc/[0-9]*/cmdline 2>/dev/null); do
    p=${f#/proc/}; p=${p%/cmdline}
    [ "$p" != "$$" ] || continue
    # A tmux server keeps the command line of the client that started it, which holds
    # the run folder of the first run it ran: it is not that run.
    c=$(tr '\0' '\n' < "$f" 2>/dev/null | head -n 1)
    case ${c##*/} in tmux*) continue ;; esac
    kill -0 "$p" 2>/dev/null && { printf '%s\n' "$p"; return 0; }
  done
  return 1
}
)SH";

} // namespace

Result<void> RunFolderLayout::checkRunName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$"));
    if (!valid.match(name).hasMatch())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("run name \"%1\": use 1 to 100 letters, digits, '.', '_' or '-', "
                                        "not starting with '.' or '-'").arg(name));
    return {};
}

QByteArray RunFolderLayout::shellFunctions()
{
    return kFunctions;
}

} // namespace rdt
