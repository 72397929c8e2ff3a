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
proc_id() {
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }
  set -- $s
  [ $# -ge 20 ] || return 1
  shift 3; sid=$1; shift 16
  printf '%s %s\n' "$1" "$sid"
}
trainer_pid() {
  id=
  [ -f "$1/.rdt/trainer.id" ] && read -r id < "$1/.rdt/trainer.id"
  case $id in *[!0-9\ ]*|*' '*' '*) id= ;; *' '*) ;; *) id= ;; esac
  for pf in "$1/.rdt/trainer.pid" "$1/pid"; do
    [ -f "$pf" ] || continue
    read -r p < "$pf" || p=
    case $p in ''|*[!0-9]*) ;; *)
      if [ -n "$id" ] && [ "$pf" = "$1/.rdt/trainer.pid" ]; then
        # The recorded process itself, by pid and start time: a reused pid is another one.
        [ "$(proc_id "$p")" = "$id" ] && { printf '%s\n' "$p"; return 0; }
      elif kill -0 "$p" 2>/dev/null; then
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
    if [ -n "$id" ]; then
      # With the launch recorded, only a process of the trainer's session that started
      # after it (a worker outliving its launcher) counts; anything else naming the
      # folder (an editor, a tail, a copy) is left alone.
      q=$(proc_id "$p") || continue
      [ "${q#* }" = "${id#* }" ] && [ "${q%% *}" -ge "${id%% *}" ] || continue
    fi
    kill -0 "$p" 2>/dev/null && { printf '%s\n' "$p"; return 0; }
  done
  return 1
}
)SH";

// /proc/PID/stat after the command name: state, ppid, pgrp, session (4th), ..., start
// time (20th). The pid files are replaced by rename, so a reader never sees half of one.
constexpr char kRecorder[] = R"SH(record_trainer() {
  s=$(cat "/proc/$$/stat" 2>/dev/null) && s=${s##*) } &&
    printf '%s\n' "$s" | { read -r _ _ _ sid _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ start _; printf '%s %s\n' "$start" "$sid"; } \
      > "$1/.rdt/trainer.id.tmp" && mv -f "$1/.rdt/trainer.id.tmp" "$1/.rdt/trainer.id"
  echo $$ > "$1/.rdt/trainer.pid.tmp" && mv -f "$1/.rdt/trainer.pid.tmp" "$1/.rdt/trainer.pid"
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

QByteArray RunFolderLayout::trainerRecorder()
{
    return kRecorder;
}

} // namespace rdt
