// Only complete checkpoints: the trainer writes each to a temporary name and renames it,
// so a folder named checkpoint-<digits> is whole.
#include "CheckpointList.h"

#include "CollectedCommand.h"
#include "RunFolderLayout.h"
#include "SshClient.h"

#include <algorithm>
#include <utility>

namespace rdt {
namespace {

// $1 root, $2 name. "@ckpt STEP MTIME BYTES" per folder; du -sb is GNU (a stated need).
constexpr char kScript[] = R"SH(
root=$1 name=$2
printf '\n@rdt-checkpoints 1\n'
resolve_root || exit 0
d=$root/runs/$name
[ -d "$d" ] || { printf '@no-run\n'; exit 0; }
printf '@run %s\n' "$d"
for c in "$d"/checkpoint-*/; do
  [ -d "$c" ] || continue
  c=${c%/}; step=${c##*/checkpoint-}
  case $step in ''|*[!0-9]*) continue ;; esac
  printf '@ckpt %s %s %s\n' "$step" "$(stat -c %Y -- "$c")" "$(du -sb -- "$c" | cut -f1)"
done
printf '@end\n'
)SH";

} // namespace

CheckpointList::CheckpointList(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

QList<QByteArray> CheckpointList::command(const QString &remoteRoot, const QString &runName)
{
    return {"sh", "-c", RunFolderLayout::shellFunctions() + kScript, "rdt-checkpoints", remoteRoot.toUtf8(),
            runName.toUtf8()};
}

Result<QList<CheckpointInfo>> CheckpointList::parseOutput(const QByteArray &output, const QString &what)
{
    return CheckpointListOutput::parse(output, what);
}

void CheckpointList::refresh(const QString &remoteRoot, const QString &runName)
{
    if (m_command) // a listing still under way answers for the old request
        std::exchange(m_command, nullptr)->abandon();
    m_checkpoints.clear();
    m_error = {};
    m_what = QStringLiteral("listing checkpoints of run %1").arg(runName);
    if (Result<void> name = RunFolderLayout::checkRunName(runName); !name) {
        m_error = makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(m_what, name.error().message));
        QMetaObject::invokeMethod(this, &CheckpointList::finished, Qt::QueuedConnection);
        return;
    }
    CommandSpec spec;
    spec.argv = command(remoteRoot, runName);
    spec.timeoutMs = 60 * 1000;
    m_command = new CollectedCommand(m_client, spec, m_what, this);
    connect(m_command, &CollectedCommand::finished, this, &CheckpointList::onFinished);
}

void CheckpointList::onFinished()
{
    CollectedCommand *command = m_command;
    m_command = nullptr;
    command->deleteLater();
    if (command->error().code != ErrorCode::None) {
        m_error = command->error();
    } else if (Result<QList<CheckpointInfo>> parsed = parseOutput(command->output(), m_what); parsed) {
        m_checkpoints = parsed.value();
    } else {
        m_error = parsed.error();
    }
    Q_EMIT finished();
}

} // namespace rdt
