// Like RunLauncher, three scripts travel as positional parameters (launch, detached runner,
// pid writer) and no user string is pasted into shell text. The placeholders of the command
// line are filled in on the server, where the remote root's absolute path is known.
#include "EvalLauncher.h"

#include "LaunchAnswer.h"

#include "EvalCommandLine.h"
#include "EvalFolder.h"
#include "EvalLogFailures.h"
#include "RunFolderLayout.h"
#include "SshClient.h"

#include <utility>

namespace rdt {
namespace {

// Both output streams go to eval.log: unlike training, the trainer's eval writes no log of
// its own. INT and TERM are caught so the runner outlives the eval and records its status.
constexpr char kRunner[] = R"SH(pidexec=$1 e=$2 envfile=$3; shift 3
trap : INT TERM
sh -c "$pidexec" rdt-eval-exec "$e" "$envfile" "$@" </dev/null >>"$e/eval.log" 2>&1
s=$?
echo "$s" > "$e/.rdt/exit-status.tmp" && mv -f "$e/.rdt/exit-status.tmp" "$e/.rdt/exit-status"
)SH";

// The run's environment (RUN/.rdt/trainer-env: CUDA_VISIBLE_DEVICES, HF_HOME, ...) applies
// to its evals too.
constexpr char kPidExec[] = R"SH(e=$1 envfile=$2; shift 2
if [ -f "$envfile" ]; then
  while IFS= read -r kv; do export "$kv"; done < "$envfile"
fi
record_trainer "$e" && exec "$@"
)SH";

// $1 root, $2 run, $3 checkpoint, $4 timeout (s), $5 tmux|setsid, $6 runner, $7 pid writer,
// $8 1|0 (wait for the start event), $9 the index of the one argument whose placeholders
// are filled (a shell line's last), or 0 for all, then the eval-command.json to leave in the
// folder (empty: none), then the command line.
constexpr char kLaunch[] = R"SH(
root=$1 name=$2 ckpt=$3 timeout=$4 detach=$5 runner=$6 pidexec=$7 waitstart=$8 only=$9; shift 9
record=$1; shift
PATH=$PATH:/usr/local/bin:/usr/bin:/bin:$HOME/.local/bin
printf '\n@rdt-eval-launch 1\n'
resolve_root || exit 0
d=$root/runs/$name
[ -d "$d" ] || { printf '@fail no run %s in %s\n' "$name" "$root/runs"; exit 0; }
[ -d "$d/$ckpt" ] || { printf '@fail run %s has no %s\n' "$name" "$ckpt"; exit 0; }
e=$d/eval/$ckpt
if p=$(trainer_pid "$e"); then printf '@fail an eval of %s is already running (pid %s)\n' "$ckpt" "$p"; exit 0; fi
mkdir -p -- "$e/.rdt" || { printf '@fail cannot create %s\n' "$e"; exit 0; }
# replace TEXT FIELD VALUE: every FIELD in TEXT becomes VALUE.
replace() {
  r= t=$1
  while :; do
    case $t in *"$2"*) r=$r${t%%"$2"*}$3; t=${t#*"$2"} ;; *) break ;; esac
  done
  printf '%s' "$r$t"
}
n=$# k=0
while [ "$n" -gt 0 ]; do
  k=$((k + 1))
  if [ "$only" != 0 ] && [ "$only" != "$k" ]; then a=$1; shift; set -- "$@" "$a"; n=$((n - 1)); continue; fi
  a=$(replace "$1" '{checkpoint}' "$d/$ckpt")
  a=$(replace "$a" '{output_dir}' "$e")
  a=$(replace "$a" '{video_dir}' "$e/videos")
  a=$(replace "$a" '{run_dir}' "$d")
  shift; set -- "$@" "$a"; n=$((n - 1))
done
program=$(command -v -- "$1" 2>/dev/null) && [ -n "$program" ] || {
  printf '@fail the eval command %s is not on the server (PATH=%s)\n' "$1" "$PATH"; exit 0; }
shift; set -- "$program" "$@"
printf '%s\0' "$@" > "$e/.rdt/command"
if [ -n "$record" ]; then printf '%s\n' "$record" > "$e/eval-command.json"; else rm -f -- "$e/eval-command.json"; fi
rm -f -- "$e/.rdt/stop-requested" "$e/.rdt/exit-status" "$e/.rdt/trainer.pid" "$e/.rdt/trainer.id" "$e/events.jsonl"
: > "$e/eval.log"
session=rdt-eval-$(printf '%s-%s' "$name" "$ckpt" | tr '.:' '__')
method=setsid
if [ "$detach" = tmux ] && command -v tmux >/dev/null 2>&1 && tmux new-session -d -s "$session" \
     sh -c "$runner" rdt-eval "$pidexec" "$e" "$d/.rdt/trainer-env" "$@" >/dev/null 2>&1; then
  method=tmux
elif ! setsid -f sh -c "$runner" rdt-eval "$pidexec" "$e" "$d/.rdt/trainer-env" "$@" </dev/null >/dev/null 2>&1; then
  # Without setsid -f (util-linux before 2.31): a background job, which a POSIX shell
  # starts with SIGINT ignored, so only stop's SIGTERM ends it.
  setsid nohup sh -c "$runner" rdt-eval "$pidexec" "$e" "$d/.rdt/trainer-env" "$@" </dev/null >/dev/null 2>&1 &
fi
i=0
while [ ! -s "$e/.rdt/trainer.pid" ]; do
  i=$((i + 1)); [ $i -gt 50 ] && { printf '@fail the eval did not start (no pid after 10 s, %s)\n' "$method"; exit 0; }
  sleep 0.2
done
read -r pid < "$e/.rdt/trainer.pid"
i=0 n=$((timeout * 5))
while :; do
  if [ "$waitstart" = 1 ]; then
    if [ -f "$e/events.jsonl" ] && grep -q '"event":"start"' "$e/events.jsonl"; then
      printf '@started %s %s %s\n' "$method" "$pid" "$e"; exit 0
    fi
  elif [ $i -ge 5 ] && kill -0 "$pid" 2>/dev/null; then
    printf '@started %s %s %s\n' "$method" "$pid" "$e"; exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    j=0; while [ ! -f "$e/.rdt/exit-status" ] && [ $j -lt 25 ]; do sleep 0.2; j=$((j + 1)); done
    s=unknown; [ -f "$e/.rdt/exit-status" ] && read -r s < "$e/.rdt/exit-status"
    # A command without events that already ended well (a quick script) did start.
    if [ "$waitstart" = 0 ] && [ "$s" = 0 ]; then printf '@started %s %s %s\n' "$method" "$pid" "$e"; exit 0; fi
    printf '@died %s\n' "$s"
    tail -n 20 -- "$e/eval.log" 2>/dev/null | sed 's/^/|/'
    exit 0
  fi
  i=$((i + 1)); [ $i -ge $n ] && { printf '@timeout %s\n' "$pid"; exit 0; }
  sleep 0.2
done
)SH";

// The last line the eval wrote: the trainer's error line ("rdt-trainer eval: ...").
QString lastLogLine(const QList<QByteArray> &lines)
{
    for (qsizetype i = lines.size() - 1; i >= 0; --i) {
        const QByteArray line = lines.at(i).mid(1).trimmed();
        if (lines.at(i).startsWith('|') && !line.isEmpty())
            return QString::fromUtf8(line);
    }
    return {};
}

} // namespace

EvalLauncher::EvalLauncher(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

QStringList EvalLauncher::evalCommandLine(const EvalLaunchRequest &request)
{
    if (!request.shellLine.isEmpty())
        return {QStringLiteral("sh"), QStringLiteral("-c"), QString::fromUtf8(request.shellLine),
                QStringLiteral("rdt-eval-command"), QLatin1String(EvalCommandLine::kOutputDir)};
    return request.commandLine.isEmpty() ? EvalCommandLine::forTrainer(request.options, request.trainer)
                                         : request.commandLine;
}

QList<QByteArray> EvalLauncher::command(const EvalLaunchRequest &request)
{
    QList<QByteArray> argv = {"sh", "-c", RunFolderLayout::shellFunctions() + kLaunch, "rdt-eval-launch",
                              request.remoteRoot.toUtf8(), request.runName.toUtf8(),
                              request.options.checkpoint.toUtf8(), QByteArray::number(request.startTimeoutSeconds),
                              request.useTmux ? "tmux" : "setsid", kRunner, RunFolderLayout::trainerRecorder() + kPidExec,
                              request.waitForStartEvent ? "1" : "0"};
    const QStringList line = evalCommandLine(request);
    // A shell line is already filled in (and quoted) by its preset: only its folder argument is ours.
    argv.append(request.shellLine.isEmpty() ? QByteArray("0") : QByteArray::number(line.size()));
    argv.append(request.record);
    for (const QString &argument : line)
        argv.append(argument.toUtf8());
    return argv;
}

void EvalLauncher::start(const EvalLaunchRequest &request)
{
    cancel();
    m_outcome = {};
    m_error = {};
    m_what = QStringLiteral("eval of run %1 %2").arg(request.runName, request.options.checkpoint);
    auto failNow = [this](const QString &message) {
        m_error = makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(m_what, message));
        QMetaObject::invokeMethod(this, &EvalLauncher::finished, Qt::QueuedConnection);
    };
    if (Result<void> names = EvalFolder::check(request.runName, request.options.checkpoint); !names)
        return failNow(names.error().message);
    if (request.options.execHorizon < 1)
        return failNow(QStringLiteral("the exec horizon must be at least 1 step"));
    if (Result<void> line = EvalCommandLine::check(evalCommandLine(request)); !line)
        return failNow(line.error().message);
    CommandSpec spec;
    spec.argv = command(request);
    spec.timeoutMs = (request.startTimeoutSeconds + 60) * 1000;
    m_command = new CollectedCommand(m_client, spec, m_what, this);
    connect(m_command, &CollectedCommand::finished, this, &EvalLauncher::onFinished);
}

void EvalLauncher::cancel()
{
    if (m_command)
        std::exchange(m_command, nullptr)->abandon();
}

void EvalLauncher::onFinished()
{
    CollectedCommand *command = m_command;
    m_command = nullptr;
    command->deleteLater();
    LaunchAnswerWording wording;
    wording.died = [this](const QByteArray &status, const QList<QByteArray> &log) {
        const QString said = lastLogLine(log);
        QStringList lines;
        for (const QByteArray &line : log)
            lines.append(QString::fromUtf8(line.mid(1)));
        // A server script's usual deaths (headless rendering, a missing module) explained.
        const QString explained = EvalLogFailures::explain(lines);
        return QStringLiteral("%1: the eval exited with status %2 before it started%3%4")
            .arg(m_what, QString::fromUtf8(status), said.isEmpty() ? QString() : QStringLiteral(": ") + said,
                 explained.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(explained));
    };
    wording.timedOut = [this](const QByteArray &pid) {
        return QStringLiteral("%1: the eval (pid %2) is running but wrote no start event in events.jsonl within "
                              "the time allowed")
            .arg(m_what, QString::fromUtf8(pid));
    };
    Result<LaunchOutcome> outcome = readLaunchAnswer(*command, "@rdt-eval-launch 1", m_what, wording);
    if (outcome)
        m_outcome = *outcome;
    else
        m_error = outcome.error();
    Q_EMIT finished();
}

} // namespace rdt
