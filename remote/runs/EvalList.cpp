// The list script prints, per eval folder, an @eval line with the facts the shell can count
// and the raw start / last error lines for Qt's JSON parser; parseOutput decides the state.
#include "EvalList.h"

#include "EvalEvent.h"
#include "EvalFolder.h"
#include "EvalLogFailures.h"
#include "RunFolderLayout.h"
#include "SshClient.h"

#include <algorithm>
#include <utility>

namespace rdt {
namespace {

// $1 root, $2 run, $3 checkpoint folder name or "checkpoint-*".
constexpr char kList[] = R"SH(
root=$1 name=$2 pattern=$3
printf '\n@rdt-evals 1\n'
resolve_root || exit 0
d=$root/runs/$name
[ -d "$d" ] || { printf '@no-run\n'; exit 0; }
printf '@root %s\n' "$d/eval"
for e in "$d"/eval/$pattern; do
  [ -d "$e" ] || continue
  c=${e##*/}
  p=0; q=$(trainer_pid "$e") && p=$q
  s=-; [ -f "$e/.rdt/exit-status" ] && read -r s < "$e/.rdt/exit-status"
  stop=0; [ -f "$e/.rdt/stop-requested" ] && stop=1
  f=$e/events.jsonl
  n=0; [ -f "$f" ] && n=$(grep -c '"event":"episode"' "$f")
  fin=0; [ -f "$f" ] && grep -q '"event":"done"' "$f" && fin=1
  res=0; [ -f "$e/results.json" ] && res=1
  v=0; [ -d "$e/videos" ] && v=$(find "$e/videos" -type f -name '*.mp4' | wc -l)
  printf '@eval %s %s %s %s %s %s %s %s\n' "$c" "$p" "$s" "$stop" "$n" "$fin" "$res" "$v"
  [ -f "$f" ] && grep -m 1 '"event":"start"' "$f" | sed 's/^/S/'
  [ -f "$f" ] && grep '"event":"error"' "$f" | tail -n 1 | sed 's/^/E/'
  [ -f "$e/eval.log" ] && grep -v '^[[:space:]]*$' "$e/eval.log" | tail -n 1 | sed 's/^/L/'
done
printf '@end\n'
)SH";

// An eval that wrote no error event: how its process ended, and the last line it wrote
// (the trainer's own error line when it failed before its events file was open).
QString endedWithout(const QString &exitStatus, const QString &lastLogLine)
{
    bool numeric = false;
    const int status = exitStatus.toInt(&numeric);
    QString how = !numeric ? QStringLiteral("the eval ended without a word")
                  : status > 128 ? QStringLiteral("killed by signal %1 (exit status %2)").arg(status - 128).arg(status)
                                 : QStringLiteral("exit status %1").arg(status);
    if (lastLogLine.isEmpty())
        return how;
    const QString explained = EvalLogFailures::explain({lastLogLine});
    return explained.isEmpty() ? QStringLiteral("%1: %2").arg(how, lastLogLine)
                               : QStringLiteral("%1: %2 (%3)").arg(how, lastLogLine, explained);
}

int checkpointStep(const QString &name)
{
    return name.mid(int(qstrlen("checkpoint-"))).toInt();
}

} // namespace

EvalList::EvalList(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

QList<QByteArray> EvalList::command(const QString &remoteRoot, const QString &runName, const QString &checkpoint)
{
    return {"sh", "-c", RunFolderLayout::shellFunctions() + kList, "rdt-evals", remoteRoot.toUtf8(), runName.toUtf8(),
            checkpoint.isEmpty() ? QByteArray("checkpoint-*") : checkpoint.toUtf8()};
}

Result<QList<EvalInfo>> EvalList::parseOutput(const QByteArray &output, const QString &what)
{
    QList<EvalInfo> evals;
    QString root;
    bool sawHeader = false;
    // Per eval: what the lines after @eval said.
    QString errorMessage;
    QString lastLogLine;
    QString exitStatus;
    bool stopRequested = false;
    bool done = false;
    auto conclude = [&] {
        if (evals.isEmpty())
            return;
        EvalInfo &info = evals.last();
        // "done" wins over a live pid: the process is only closing its files. A command
        // without events (a server's own eval script) is done when it exits with 0.
        if (done || (info.pid == 0 && exitStatus == QLatin1String("0")))
            info.state = EvalState::Done;
        else if (info.pid > 0)
            info.state = EvalState::Running;
        else if (stopRequested)
            info.state = EvalState::Stopped;
        else {
            info.state = EvalState::Failed;
            info.detail = errorMessage.isEmpty() ? endedWithout(exitStatus, lastLogLine) : errorMessage;
        }
    };
    for (const QByteArray &line : output.split('\n')) {
        if (!sawHeader) {
            sawHeader = line == "@rdt-evals 1";
            continue;
        }
        const QList<QByteArray> words = line.split(' ');
        if (line.startsWith("@no-root "))
            return makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: remote root: %2").arg(what, QString::fromUtf8(line.mid(9))));
        if (line == "@no-run")
            return makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: no such run").arg(what));
        if (line.startsWith("@root ")) {
            root = QString::fromUtf8(line.mid(6));
        } else if (line.startsWith("@eval ")) {
            conclude();
            if (words.size() != 9)
                return makeError(ErrorCode::Protocol, QStringLiteral("%1: bad line from the server: %2")
                                                          .arg(what, QString::fromUtf8(line.left(80))));
            EvalInfo info;
            info.checkpoint = QString::fromUtf8(words[1]);
            info.folder = root + QLatin1Char('/') + info.checkpoint;
            info.pid = words[2].toLongLong();
            exitStatus = QString::fromUtf8(words[3]);
            stopRequested = words[4] == "1";
            info.episodesDone = words[5].toInt();
            done = words[6] == "1";
            info.hasResults = words[7] == "1";
            info.videos = words[8].toInt();
            errorMessage.clear();
            lastLogLine.clear();
            evals.append(info);
        } else if (!evals.isEmpty() && line.startsWith('S')) {
            if (std::optional<EvalEvent> start = EvalEvent::fromLine(line.mid(1)); start && start->kind == EvalEvent::Kind::Start)
                evals.last().episodesTotal = start->episodes;
        } else if (!evals.isEmpty() && line.startsWith('E')) {
            if (std::optional<EvalEvent> error = EvalEvent::fromLine(line.mid(1)); error && error->kind == EvalEvent::Kind::Error)
                errorMessage = error->message;
        } else if (!evals.isEmpty() && line.startsWith('L')) {
            lastLogLine = QString::fromUtf8(line.mid(1)).trimmed();
        } else if (line == "@end") {
            conclude();
            std::sort(evals.begin(), evals.end(), [](const EvalInfo &a, const EvalInfo &b) {
                return checkpointStep(a.checkpoint) < checkpointStep(b.checkpoint);
            });
            return evals;
        }
    }
    return makeError(ErrorCode::Protocol, QStringLiteral("%1: the list was cut off").arg(what));
}

void EvalList::refresh(const QString &remoteRoot, const QString &runName, const QString &checkpoint)
{
    cancel();
    m_evals.clear();
    m_error = {};
    m_what = QStringLiteral("listing the evals of run %1").arg(runName);
    Result<void> names = checkpoint.isEmpty() ? RunFolderLayout::checkRunName(runName) : EvalFolder::check(runName, checkpoint);
    if (!names) {
        m_error = makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(m_what, names.error().message));
        QMetaObject::invokeMethod(this, &EvalList::finished, Qt::QueuedConnection);
        return;
    }
    CommandSpec spec;
    spec.argv = command(remoteRoot, runName, checkpoint);
    spec.timeoutMs = 60000;
    m_command = new CollectedCommand(m_client, spec, m_what, this);
    connect(m_command, &CollectedCommand::finished, this, &EvalList::onFinished);
}

void EvalList::cancel()
{
    if (m_command)
        std::exchange(m_command, nullptr)->abandon();
}

void EvalList::onFinished()
{
    CollectedCommand *command = m_command;
    m_command = nullptr;
    command->deleteLater();
    if (command->error().code != ErrorCode::None) {
        m_error = command->error();
        Q_EMIT finished();
        return;
    }
    Result<QList<EvalInfo>> evals = parseOutput(command->output(), m_what);
    if (!evals)
        m_error = command->withServerSaid(evals.error());
    else
        m_evals = std::move(evals).value();
    Q_EMIT finished();
}

} // namespace rdt
