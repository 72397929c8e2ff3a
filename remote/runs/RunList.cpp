// The scan script and its command; what it prints is read by RunListOutput.
#include "RunList.h"

#include "CollectedCommand.h"
#include "RunFolderLayout.h"
#include "SshClient.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace rdt {
namespace {

constexpr int kScanTimeoutMs = 60 * 1000;

// $1: the remote root. The tail is 16 lines: after the last step point come at most a
// sample, a checkpoint and done, and a resumed run's start event is found in run.yaml.
constexpr char kScanScript[] = R"SH(
root=$1
printf '\n@rdt-runs 1\n'
resolve_root || { printf '@end\n'; exit 0; }
printf '@root %s\n' "$root"
piece() {
  t=$("$@" 2>/dev/null; echo x); t=${t%x}
  printf '%s %s\n' "$tag" "${#t}"; printf '%s' "$t"
}
for d in "$root"/runs/*/; do
  [ -d "$d" ] || continue
  d=${d%/}; name=${d##*/}
  case $name in *'
'*) continue ;; esac
  printf '@run %s\n' "$name"
  if p=$(trainer_pid "$d"); then printf '@pid %s\n' "$p"; fi
  if [ -f "$d/.rdt/exit-status" ]; then read -r s < "$d/.rdt/exit-status" && printf '@exit %s\n' "$s"; fi
  [ -f "$d/.rdt/stop-requested" ] && printf '@stop\n'
  m=$(sed -n 's/^  max_train_steps: *\([0-9][0-9]*\).*/\1/p' "$d/run.yaml" 2>/dev/null | tail -n 1)
  [ -n "$m" ] && printf '@maxsteps %s\n' "$m"
  if [ -f "$d/metrics.jsonl" ]; then
    printf '@mtime %s\n' "$(stat -L -c %Y -- "$d/metrics.jsonl")"
    tag=@first piece head -n 1 -- "$d/metrics.jsonl"
    tag=@tail piece tail -n 16 -- "$d/metrics.jsonl"
  fi
done
printf '@end\n'
)SH";

} // namespace

RunList::RunList(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

QList<QByteArray> RunList::command(const QString &remoteRoot)
{
    return {"sh", "-c", RunFolderLayout::shellFunctions() + kScanScript, "rdt-runs", remoteRoot.toUtf8()};
}

Result<QList<RunFacts>> RunList::parseOutput(const QByteArray &output, const QString &remoteRoot)
{
    return RunListOutput::parse(output, remoteRoot);
}

RunInfo RunList::summarise(const RunFacts &facts)
{
    return RunListOutput::summarise(facts);
}

void RunList::refresh(const QString &remoteRoot)
{
    cancel();
    m_root = remoteRoot;
    m_error = {};
    CommandSpec spec;
    spec.argv = command(remoteRoot);
    spec.timeoutMs = kScanTimeoutMs;
    m_command = new CollectedCommand(m_client, spec, QStringLiteral("listing runs under %1").arg(m_root), this);
    connect(m_command, &CollectedCommand::finished, this, &RunList::onFinished);
}

void RunList::cancel()
{
    if (m_command)
        std::exchange(m_command, nullptr)->abandon();
}

void RunList::onFinished()
{
    CollectedCommand *command = m_command;
    m_command = nullptr;
    command->deleteLater();
    if (command->error().code != ErrorCode::None) {
        m_error = command->error();
        Q_EMIT finished();
        return;
    }
    Result<QList<RunFacts>> facts = parseOutput(command->output(), m_root);
    if (!facts) {
        m_error = command->withServerSaid(facts.error());
        Q_EMIT finished();
        return;
    }
    m_runs.clear();
    for (const RunFacts &run : facts.value())
        m_runs.append(summarise(run));
    std::sort(m_runs.begin(), m_runs.end(), [](const RunInfo &a, const RunInfo &b) { return a.name < b.name; });
    Q_EMIT finished();
}

} // namespace rdt
