// The stop script signals the pid the run list would call live, then waits on the server,
// so the wait survives nothing but is also never longer than grace + 10 s.
#include "RunStopper.h"

#include "CollectedCommand.h"
#include "EvalFolder.h"
#include "RunFolderLayout.h"
#include "SshClient.h"

#include <utility>

namespace rdt {
namespace {

// $1 root, $2 name, $3 grace seconds, $4 1: signal the process's whole group (an eval:
// a shell line's children, a Python script's workers), 0: the process alone.
constexpr char kStop[] = R"SH(
root=$1 name=$2 grace=$3 group=${4:-0}
printf '\n@rdt-stop 1\n'
resolve_root || exit 0
d=$root/runs/$name
[ -d "$d" ] || { printf '@no-run\n'; exit 0; }
p=$(trainer_pid "$d") || { printf '@not-running\n'; exit 0; }
mkdir -p -- "$d/.rdt" && date +%s > "$d/.rdt/stop-requested"
send() {
  g=
  if [ "$group" = 1 ]; then
    g=$(ps -o pgid= -p "$2" 2>/dev/null | tr -d ' ')
    [ "$g" = "$(ps -o pgid= -p $$ | tr -d ' ')" ] && g=
  fi
  if [ -n "$g" ]; then kill -"$1" "-$g" 2>/dev/null; pgroup=$g; else kill -"$1" "$2" 2>/dev/null; fi
  printf '@signal %s %s\n' "$1" "$2"
}
# Each live process of the run gets SIGINT once: the pid file's may be a launch script
# whose trainer, its child, outlives it (the setup wizard's launch.sh).
send INT "$p"; signalled=" $p "
i=0
while q=$(trainer_pid "$d") && [ $i -lt $((grace * 5)) ]; do
  case $signalled in *" $q "*) ;; *) send INT "$q"; signalled="$signalled$q " ;; esac
  sleep 0.2; i=$((i + 1))
done
if q=$(trainer_pid "$d"); then
  send TERM "$q"
  i=0; while q=$(trainer_pid "$d") && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
fi
if q=$(trainer_pid "$d"); then printf '@alive %s\n' "$q"; exit 0; fi
# Background children of a script ignore SIGINT (POSIX sh): what is left of the group goes
# now that the eval itself is gone (the runner, which records the status, ignores it).
[ -n "${pgroup:-}" ] && kill -TERM "-$pgroup" 2>/dev/null
i=0; while [ ! -f "$d/.rdt/exit-status" ] && [ $i -lt 10 ]; do sleep 0.2; i=$((i + 1)); done
s=; [ -f "$d/.rdt/exit-status" ] && read -r s < "$d/.rdt/exit-status"
printf '@stopped %s\n' "$s"
)SH";

} // namespace

RunStopper::RunStopper(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

QList<QByteArray> RunStopper::command(const QString &remoteRoot, const QString &runName, int graceSeconds, bool group)
{
    return {"sh", "-c", RunFolderLayout::shellFunctions() + kStop, "rdt-stop", remoteRoot.toUtf8(), runName.toUtf8(),
            QByteArray::number(graceSeconds), group ? "1" : "0"};
}

void RunStopper::stop(const QString &remoteRoot, const QString &runName, int graceSeconds)
{
    if (m_command) // a stop still under way answers for the old request
        std::exchange(m_command, nullptr)->abandon();
    m_outcome = {};
    m_error = {};
    m_what = QStringLiteral("stop run %1").arg(runName);
    m_eval = false;
    if (Result<void> name = RunFolderLayout::checkRunName(runName); !name) {
        m_error = makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(m_what, name.error().message));
        QMetaObject::invokeMethod(this, &RunStopper::finished, Qt::QueuedConnection);
        return;
    }
    stopFolder(remoteRoot, runName, graceSeconds, false);
}

void RunStopper::stopEval(const QString &remoteRoot, const QString &runName, const QString &checkpoint, int graceSeconds)
{
    if (m_command)
        std::exchange(m_command, nullptr)->abandon();
    m_outcome = {};
    m_error = {};
    m_what = QStringLiteral("stop eval of run %1 %2").arg(runName, checkpoint);
    m_eval = true;
    if (Result<void> names = EvalFolder::check(runName, checkpoint); !names) {
        m_error = makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(m_what, names.error().message));
        QMetaObject::invokeMethod(this, &RunStopper::finished, Qt::QueuedConnection);
        return;
    }
    stopFolder(remoteRoot, EvalFolder::relativeToRuns(runName, checkpoint), graceSeconds, true);
}

void RunStopper::stopFolder(const QString &remoteRoot, const QString &folder, int graceSeconds, bool group)
{
    CommandSpec spec;
    spec.argv = command(remoteRoot, folder, qMax(0, graceSeconds), group);
    spec.timeoutMs = (qMax(0, graceSeconds) + 40) * 1000;
    m_command = new CollectedCommand(m_client, spec, m_what, this);
    connect(m_command, &CollectedCommand::finished, this, &RunStopper::onFinished);
}

void RunStopper::onFinished()
{
    CollectedCommand *command = m_command;
    m_command = nullptr;
    command->deleteLater();
    if (command->error().code != ErrorCode::None) {
        m_error = command->error();
        Q_EMIT finished();
        return;
    }
    bool sawHeader = false;
    bool concluded = false;
    for (const QByteArray &line : command->output().split('\n')) {
        if (!sawHeader) {
            sawHeader = line == "@rdt-stop 1";
            continue;
        }
        const QList<QByteArray> words = line.split(' ');
        const QByteArray &tag = words.first();
        if (tag == "@signal") {
            m_outcome.wasRunning = true;
            if (m_outcome.pid == 0)
                m_outcome.pid = words.value(2).toLongLong();   // the first is the run's own
            m_outcome.terminated = m_outcome.terminated || words.value(1) == "TERM";
        } else if (tag == "@stopped") {
            m_outcome.exitStatus = QString::fromUtf8(words.value(1));
            concluded = true;
        } else if (tag == "@not-running") {
            concluded = true;
        } else if (tag == "@no-run" || tag == "@no-root" || tag == "@alive") {
            const QString why = tag == "@no-run" ? (m_eval ? QStringLiteral("that checkpoint has no eval") : QStringLiteral("no such run"))
                                : tag == "@alive" ? QStringLiteral("the trainer (pid %1) is still running after SIGINT and SIGTERM")
                                                        .arg(QString::fromUtf8(words.value(1)))
                                                  : QStringLiteral("remote root: %1").arg(QString::fromUtf8(line.mid(10)));
            m_error = makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: %2").arg(m_what, why));
            concluded = true;
        }
    }
    if (!concluded && m_error.code == ErrorCode::None)
        m_error = makeError(ErrorCode::Protocol, QStringLiteral("%1: the stop script ended early").arg(m_what));
    Q_EMIT finished();
}

} // namespace rdt
