// Three small scripts travel as positional parameters: the launch script (runs in the
// SSH command and returns), the runner (detached: records the exit status) and the
// pid writer (records its own pid, then execs the trainer, so the pid is the trainer's
// and SIGINT reaches it directly). None of them pastes a user string into shell text.
#include "RunLauncher.h"

#include "LaunchAnswer.h"

#include "RunFolderLayout.h"
#include "SshClient.h"

#include <utility>

namespace rdt {
namespace {

// stdout goes nowhere because the trainer writes each of its lines to train.log itself;
// stderr is appended to train.log for what it cannot write there (the final error line,
// a missing library, a crash message). The runner catches INT and TERM (Ctrl-C in the tmux
// pane reaches the whole process group) so it outlives the trainer and records its status;
// a caught signal is reset to the default in the trainer, unlike an ignored one.
constexpr char kRunner[] = R"SH(pidexec=$1 d=$2; shift 2
trap : INT TERM
sh -c "$pidexec" rdt-trainer-exec "$d" "$@" </dev/null >/dev/null 2>>"$d/train.log"
s=$?
echo "$s" > "$d/.rdt/exit-status.tmp" && mv -f "$d/.rdt/exit-status.tmp" "$d/.rdt/exit-status"
)SH";

// The run's environment, one NAME=VALUE a line, is exported before the exec.
constexpr char kPidExec[] = R"SH(d=$1; shift
if [ -f "$d/.rdt/trainer-env" ]; then
  while IFS= read -r kv; do export "$kv"; done < "$d/.rdt/trainer-env"
fi
record_trainer "$d" && exec "$@"
)SH";

// $1 start|resume, $2 root, $3 name, $4 trainer, $5 timeout (s), $6 tmux|setsid, $7 runner,
// $8 pid writer, $9 the number N of environment entries, $10 the number M of launcher
// arguments, then N NAME=VALUE entries, M launcher arguments and the trainer's arguments
// (all three start only). With launcher arguments the run is `rdt-trainer launch LAUNCHER
// -- train ARGS`; they are kept in .rdt/launcher-args, so a resume launches as many workers.
constexpr char kLaunch[] = R"SH(
mode=$1 root=$2 name=$3 trainer=$4 timeout=$5 detach=$6 runner=$7 pidexec=$8 nenv=$9 nlaunch=${10}; shift 10
PATH=$PATH:/usr/local/bin:/usr/bin:/bin:$HOME/.local/bin
printf '\n@rdt-launch 1\n'
resolve_root || exit 0
d=$root/runs/$name
if p=$(trainer_pid "$d"); then printf '@fail run %s is already running (pid %s)\n' "$name" "$p"; exit 0; fi
# Absolute, so a tmux server started earlier with another PATH runs the same trainer.
t=$(command -v -- "$trainer" 2>/dev/null) && [ -n "$t" ] || {
  printf '@fail the trainer %s is not on the server (PATH=%s)\n' "$trainer" "$PATH"; exit 0; }
case $t in /*) trainer=$t ;; esac
if [ "$mode" = resume ]; then
  if [ ! -f "$d/.rdt/trainer-args" ]; then
    printf '@fail run %s in %s was not started by the workbench (no .rdt/trainer-args): start the trainer with --resume_from_checkpoint latest by hand\n' "$name" "$root/runs"; exit 0
  fi
  set --
  while IFS= read -r a; do set -- "$@" "$a"; done < "$d/.rdt/trainer-args"
  set -- "$@" --resume_from_checkpoint latest
else
  if [ -e "$d/metrics.jsonl" ] || [ -e "$d/.rdt/trainer-args" ]; then
    printf '@fail run %s already exists in %s: resume it or choose another name\n' "$name" "$root/runs"; exit 0
  fi
  mkdir -p -- "$d/.rdt" || { printf '@fail cannot create %s\n' "$d"; exit 0; }
  : > "$d/.rdt/trainer-env"
  while [ "$nenv" -gt 0 ]; do printf '%s\n' "$1" >> "$d/.rdt/trainer-env"; shift; nenv=$((nenv - 1)); done
  : > "$d/.rdt/launcher-args"
  while [ "$nlaunch" -gt 0 ]; do printf '%s\n' "$1" >> "$d/.rdt/launcher-args"; shift; nlaunch=$((nlaunch - 1)); done
  : > "$d/.rdt/trainer-args"
  [ $# -gt 0 ] && printf '%s\n' "$@" > "$d/.rdt/trainer-args"
fi
rm -f "$d/.rdt/stop-requested" "$d/.rdt/exit-status" "$d/.rdt/trainer.pid" "$d/.rdt/trainer.id"
# The command after the trainer's path: `train ARGS`, or `launch LAUNCHER -- train ARGS`.
{ if [ -s "$d/.rdt/launcher-args" ]; then echo launch; cat "$d/.rdt/launcher-args"; echo --; fi
  echo train; if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi; } > "$d/.rdt/argv" || { printf '@fail cannot write %s\n' "$d/.rdt/argv"; exit 0; }
set --
while IFS= read -r a; do set -- "$@" "$a"; done < "$d/.rdt/argv"
moff=$(stat -c %s -- "$d/metrics.jsonl" 2>/dev/null || echo 0)
loff=$(stat -c %s -- "$d/train.log" 2>/dev/null || echo 0)
session=rdt-$(printf '%s' "$name" | tr '.:' '__')
method=setsid
if [ "$detach" = tmux ] && command -v tmux >/dev/null 2>&1 && tmux new-session -d -s "$session" \
     sh -c "$runner" rdt-run "$pidexec" "$d" "$trainer" "$@" --output_dir "$d" >/dev/null 2>&1; then
  method=tmux
elif ! setsid -f sh -c "$runner" rdt-run "$pidexec" "$d" "$trainer" "$@" --output_dir "$d" </dev/null >/dev/null 2>&1; then
  # Without setsid -f (util-linux before 2.31): a background job, which a POSIX shell
  # starts with SIGINT ignored, so only stop's SIGTERM ends it, without a last checkpoint.
  setsid nohup sh -c "$runner" rdt-run "$pidexec" "$d" "$trainer" "$@" --output_dir "$d" </dev/null >/dev/null 2>&1 &
fi
i=0
while [ ! -s "$d/.rdt/trainer.pid" ]; do
  i=$((i + 1)); [ $i -gt 50 ] && { printf '@fail the trainer did not start (no pid after 10 s, %s)\n' "$method"; exit 0; }
  sleep 0.2
done
read -r pid < "$d/.rdt/trainer.pid"
i=0 n=$((timeout * 5))
while :; do
  if [ -f "$d/metrics.jsonl" ] && tail -c +$((moff + 1)) -- "$d/metrics.jsonl" | grep -q '"event":"start"'; then
    printf '@started %s %s %s\n' "$method" "$pid" "$d"; exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    j=0; while [ ! -f "$d/.rdt/exit-status" ] && [ $j -lt 25 ]; do sleep 0.2; j=$((j + 1)); done
    s=unknown; [ -f "$d/.rdt/exit-status" ] && read -r s < "$d/.rdt/exit-status"
    printf '@died %s\n' "$s"
    tail -c +$((loff + 1)) -- "$d/train.log" 2>/dev/null | tail -n 20 | sed 's/^/|/'
    exit 0
  fi
  i=$((i + 1)); [ $i -ge $n ] && { printf '@timeout %s\n' "$pid"; exit 0; }
  sleep 0.2
done
)SH";

// The trainer's own lines after "@died STATUS": its last error line says what happened.
QString diedMessage(const QString &what, const QList<QByteArray> &lines, const QByteArray &status)
{
    QStringList said;
    for (const QByteArray &line : lines) {
        if (line.startsWith('|') && !line.mid(1).trimmed().isEmpty())
            said.append(QString::fromUtf8(line.mid(1)));
    }
    QString message = QStringLiteral("%1: the trainer exited with status %2 before it started training")
                          .arg(what, QString::fromUtf8(status));
    if (!said.isEmpty())
        message += QStringLiteral(":\n") + said.join(QLatin1Char('\n'));
    return message;
}

} // namespace

RunLauncher::RunLauncher(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

QList<QByteArray> RunLauncher::command(const LaunchRequest &request, bool resume)
{
    QList<QByteArray> argv = {"sh", "-c", RunFolderLayout::shellFunctions() + kLaunch, "rdt-launch",
                              resume ? "resume" : "start", request.remoteRoot.toUtf8(), request.runName.toUtf8(),
                              request.trainer.toUtf8(), QByteArray::number(request.startTimeoutSeconds),
                              request.useTmux ? "tmux" : "setsid", kRunner, RunFolderLayout::trainerRecorder() + kPidExec,
                              QByteArray::number(resume ? 0 : request.environment.size()),
                              QByteArray::number(resume ? 0 : request.launcherArguments.size())};
    if (!resume) {
        for (const auto &[name, value] : request.environment)
            argv.append(name + '=' + value);
        for (const QString &argument : request.launcherArguments)
            argv.append(argument.toUtf8());
        for (const QString &argument : request.trainerArguments)
            argv.append(argument.toUtf8());
    }
    return argv;
}

void RunLauncher::start(const LaunchRequest &request)
{
    launch(request, false);
}

void RunLauncher::resume(const LaunchRequest &request)
{
    launch(request, true);
}

void RunLauncher::launch(const LaunchRequest &request, bool resume)
{
    cancel();
    m_outcome = {};
    m_error = {};
    m_what = QStringLiteral("%1 run %2").arg(resume ? QStringLiteral("resume") : QStringLiteral("start"), request.runName);
    auto failNow = [this](const QString &message) {
        m_error = makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(m_what, message));
        QMetaObject::invokeMethod(this, &RunLauncher::finished, Qt::QueuedConnection);
    };
    if (Result<void> name = RunFolderLayout::checkRunName(request.runName); !name)
        return failNow(name.error().message);
    for (const auto &[name, value] : request.environment) {
        // .rdt/trainer-env keeps one NAME=VALUE a line.
        if (!isValidEnvironmentName(name))
            return failNow(QStringLiteral("\"%1\" is not a valid environment variable name").arg(QString::fromUtf8(name)));
        if (value.contains('\n'))
            return failNow(QStringLiteral("the value of %1 contains a line break").arg(QString::fromUtf8(name)));
    }
    for (const QString &argument : request.launcherArguments)
        if (argument.contains(QLatin1Char('\n')) || argument == QLatin1String("--"))
            return failNow(QStringLiteral("launcher argument \"%1\" is a line break or --").arg(argument.simplified()));
    for (const QString &argument : request.trainerArguments) {
        // The launcher keeps the arguments one per line for resume.
        if (argument.contains(QLatin1Char('\n')))
            return failNow(QStringLiteral("trainer argument \"%1\" contains a line break").arg(argument.simplified()));
        if (argument == QLatin1String("--output_dir") || argument == QLatin1String("--output-dir")
            || argument.startsWith(QLatin1String("--output_dir=")) || argument.startsWith(QLatin1String("--output-dir=")))
            return failNow(QStringLiteral("leave out %1: the run folder is ROOT/runs/NAME").arg(argument));
    }
    CommandSpec spec;
    spec.argv = command(request, resume);
    spec.timeoutMs = (request.startTimeoutSeconds + 60) * 1000;
    m_command = new CollectedCommand(m_client, spec, m_what, this);
    connect(m_command, &CollectedCommand::finished, this, &RunLauncher::onFinished);
}

void RunLauncher::cancel()
{
    if (m_command)
        std::exchange(m_command, nullptr)->abandon();
}

void RunLauncher::onFinished()
{
    CollectedCommand *command = m_command;
    m_command = nullptr;
    command->deleteLater();
    LaunchAnswerWording wording;
    wording.died = [this](const QByteArray &status, const QList<QByteArray> &log) {
        return diedMessage(m_what, log, status);
    };
    wording.timedOut = [this](const QByteArray &pid) {
        return QStringLiteral("%1: the trainer (pid %2) is running but wrote no start event in metrics.jsonl "
                              "within the time allowed")
            .arg(m_what, QString::fromUtf8(pid));
    };
    Result<LaunchOutcome> outcome = readLaunchAnswer(*command, "@rdt-launch 1", m_what, wording);
    if (outcome)
        m_outcome = *outcome;
    else
        m_error = outcome.error();
    Q_EMIT finished();
}

} // namespace rdt
