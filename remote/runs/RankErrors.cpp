// Reads the rank files' error events and the launcher's lines about its workers.
#include "RankErrors.h"

#include "RunFolderLayout.h"
#include "SshClient.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <utility>

namespace rdt {
namespace {

// $1 root, $2 run. The last few of each kind: a crashing rank writes one error, the
// launcher one line per worker it ended.
constexpr char kScript[] = R"sh(
root=$1
resolve_root || exit 0
d=$root/runs/$2
for f in "$d"/metrics.rank*.jsonl; do
  [ -f "$f" ] || continue
  r=${f##*/metrics.rank}; r=${r%.jsonl}
  grep -F '"event":"error"' -- "$f" 2>/dev/null | tail -n 3 | sed "s/^/@rank $r /"
done
if [ -f "$d/train.log" ]; then
  grep -E '^rdt-trainer launch: (rank [0-9]+ \(pid|.*did not stop|.*killing)' -- "$d/train.log" 2>/dev/null |
    tail -n 5 | sed 's/^/@launcher /'
fi
# Which GPUs the ranks got: rank r runs on the r-th visible device (cuda:LOCAL_RANK).
if [ -f "$d/.rdt/trainer-env" ]; then
  sed -n 's/^CUDA_VISIBLE_DEVICES=/@devices /p' -- "$d/.rdt/trainer-env" | tail -n 1
fi
printf '@end\n'
)sh";

} // namespace

RankErrors::RankErrors(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

QList<QByteArray> RankErrors::command(const QString &remoteRoot, const QString &run)
{
    return {"sh", "-c", RunFolderLayout::shellFunctions() + kScript, "rdt-rank-errors", remoteRoot.toUtf8(), run.toUtf8()};
}

QStringList RankErrors::parse(const QByteArray &output)
{
    QStringList errors;
    for (const QByteArray &line : output.split('\n')) {
        if (line.startsWith("@rank ")) {
            const QByteArray rest = line.mid(6);
            const qsizetype space = rest.indexOf(' ');
            const QJsonObject event = QJsonDocument::fromJson(rest.mid(space + 1)).object();
            const QString message = event.value(QStringLiteral("message")).toString();
            if (space > 0 && !message.isEmpty())
                errors << QStringLiteral("rank %1: %2").arg(QString::fromUtf8(rest.left(space)), message);
        } else if (line.startsWith("@devices ")) {
            continue;   // read by visibleDevices()
        } else if (line.startsWith("@launcher ")) {
            errors << QString::fromUtf8(line.mid(10)).trimmed();
        }
    }
    errors.removeDuplicates();
    return errors;
}

std::optional<QString> RankErrors::visibleDevices(const QByteArray &output)
{
    for (const QByteArray &line : output.split('\n'))
        if (line.startsWith("@devices "))
            return QString::fromUtf8(line.mid(9)).trimmed();
    return std::nullopt;
}

void RankErrors::start(const QString &remoteRoot, const QString &run)
{
    cancel();
    m_run = run;
    m_errors.clear();
    m_error = {};
    if (Result<void> name = RunFolderLayout::checkRunName(run); !name) {
        m_error = name.error();
        QMetaObject::invokeMethod(this, &RankErrors::finished, Qt::QueuedConnection);
        return;
    }
    CommandSpec spec;
    spec.argv = command(remoteRoot, run);
    spec.timeoutMs = 30000;
    m_command = new CollectedCommand(m_client, spec, QStringLiteral("reading the rank errors of %1").arg(run), this);
    connect(m_command, &CollectedCommand::finished, this, &RankErrors::onFinished);
}

void RankErrors::cancel()
{
    if (m_command)
        std::exchange(m_command, nullptr)->abandon();
}

void RankErrors::onFinished()
{
    CollectedCommand *command = std::exchange(m_command, nullptr);
    command->deleteLater();
    if (command->error().code != ErrorCode::None)
        m_error = command->error();
    else if (!command->output().contains("@end"))
        m_error = command->withServerSaid(makeError(ErrorCode::Protocol, QStringLiteral("reading the rank errors of %1: "
                                                                                         "no answer").arg(m_run)));
    else {
        m_errors = parse(command->output());
        m_visibleDevices = visibleDevices(command->output());
    }
    Q_EMIT finished();
}

} // namespace rdt
