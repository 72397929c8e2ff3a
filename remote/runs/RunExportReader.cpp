// One script sends the run's small files (each as "@file NAME SIZE" and its bytes), then
// the dataset and the model are hashed one after the other.
#include "RunExportReader.h"

#include "CollectedCommand.h"
#include "MetricsCsv.h"
#include "MetricsLineParser.h"
#include "RemoteChecksums.h"
#include "RunFolderLayout.h"
#include "ScriptAnswer.h"
#include "SshClient.h"

#include <utility>

namespace rdt {
namespace {

const QByteArray kHeader = QByteArrayLiteral("@rdt-export 1");

// $1 root, $2 name, $3 1: send metrics.jsonl too. A file's size is taken once and only
// that many bytes are sent, so a line the trainer appends meanwhile cannot break the frame.
constexpr char kScript[] = R"SH(
root=$1 name=$2 metrics=$3
printf '\n@rdt-export 1\n'
resolve_root || exit 0
d=$root/runs/$name
[ -d "$d" ] || { printf '@no-run\n'; exit 0; }
send() {
  if [ -f "$2" ] && [ -r "$2" ]; then
    s=$(wc -c < "$2"); printf '@file %s %s\n' "$1" "$s"; head -c "$s" -- "$2"
  else
    printf '@file %s -1\n' "$1"
  fi
}
printf '@file folder %s\n' "$(printf '%s' "$d" | wc -c)"; printf '%s' "$d"
send run.yaml "$d/run.yaml"
send trainer-args "$d/.rdt/trainer-args"
send trainer-env "$d/.rdt/trainer-env"
send launcher-args "$d/.rdt/launcher-args"
[ "$metrics" = 1 ] && send metrics.jsonl "$d/metrics.jsonl"
printf '@end\n'
)SH";

QStringList lines(const QByteArray &bytes)
{
    QStringList result;
    for (const QByteArray &line : bytes.split('\n'))
        if (!line.isEmpty())
            result.append(QString::fromUtf8(line));
    return result;
}

} // namespace

RunExportReader::RunExportReader(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

RunExportReader::~RunExportReader()
{
    if (m_command)
        m_command->abandon();
}

void RunExportReader::start(const QString &host, const QString &remoteRoot, const QString &runName, int parts)
{
    m_error = {};
    m_metrics.clear();
    m_configuration = {};
    m_configuration.host = host;
    m_parts = parts;
    m_hashingModel = false;
    m_what = QStringLiteral("export run %1 from %2").arg(runName, host);
    if (Result<void> name = RunFolderLayout::checkRunName(runName); !name) {
        m_error = makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(m_what, name.error().message));
        QMetaObject::invokeMethod(this, &RunExportReader::finished, Qt::QueuedConnection);
        return;
    }
    CommandSpec spec;
    spec.argv = {"sh", "-c", RunFolderLayout::shellFunctions() + kScript, "rdt-export", remoteRoot.toUtf8(),
                 runName.toUtf8(), (parts & Metrics) ? "1" : "0"};
    spec.timeoutMs = 5 * 60 * 1000;   // metrics.jsonl of a long run is tens of MB
    m_command = new CollectedCommand(m_client, spec, m_what, this);
    connect(m_command, &CollectedCommand::finished, this, &RunExportReader::onFilesRead);
}

Result<QHash<QByteArray, QByteArray>> RunExportReader::parseFiles(const QByteArray &output, const QString &what)
{
    const std::optional<QByteArray> answer = ScriptAnswer::after(output, kHeader);
    if (!answer)
        return makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: the server's answer has no header (its shell did not run the script?)").arg(what));
    const QByteArray &text = *answer;
    if (text.startsWith("@no-root "))
        return makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: the remote root: %2").arg(what, QString::fromUtf8(text.mid(9).trimmed())));
    if (text.startsWith("@no-run"))
        return makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: no such run on the server").arg(what));
    QHash<QByteArray, QByteArray> files;
    qsizetype at = 0;
    while (true) {
        const qsizetype newline = text.indexOf('\n', at);
        if (newline < 0)
            break;
        const QByteArray line = text.mid(at, newline - at);
        at = newline + 1;
        if (line == "@end")
            return files;
        const QList<QByteArray> fields = line.split(' ');
        bool ok = false;
        const qint64 size = fields.value(2).toLongLong(&ok);
        if (fields.size() != 3 || fields.at(0) != "@file" || !ok || size < -1)
            return makeError(ErrorCode::Protocol, QStringLiteral("%1: unexpected line in the server's answer: %2").arg(what, QString::fromUtf8(line.left(120))));
        if (size < 0)
            continue;   // the file is not there
        if (at + size > text.size())
            break;
        files.insert(fields.at(1), text.mid(at, size));
        at += size;
    }
    return makeError(ErrorCode::Protocol, QStringLiteral("%1: the server's answer was cut short").arg(what));
}

void RunExportReader::onFilesRead()
{
    CollectedCommand *command = std::exchange(m_command, nullptr);
    command->deleteLater();
    if (command->error().code != ErrorCode::None)
        return finish(command->error());
    Result<QHash<QByteArray, QByteArray>> files = parseFiles(command->output(), m_what);
    if (!files)
        return finish(command->withServerSaid(files.error()));
    if (m_parts & Metrics) {
        MetricsLineParser parser;
        m_metrics = parser.feed(files->value("metrics.jsonl")).events;   // a torn last line waits, unread
    }
    RunConfiguration &c = m_configuration;
    c.runFolder = QString::fromUtf8(files->value("folder"));
    c.runYaml = files->value("run.yaml");
    c.startedByWorkbench = files->contains("trainer-args");
    c.trainerArguments = lines(files->value("trainer-args"));
    c.environment = lines(files->value("trainer-env"));
    c.launcherArguments = lines(files->value("launcher-args"));
    c.findInputs();
    if (!(m_parts & Configuration))
        return finish();
    hashNext();
}

void RunExportReader::hashNext()
{
    const QString path = m_hashingModel ? m_configuration.modelPath : m_configuration.datasetPath;
    if (path.isEmpty()) {
        if (m_hashingModel)
            return finish();
        m_hashingModel = true;
        return hashNext();
    }
    m_checksums = new RemoteChecksums(m_client, this);
    connect(m_checksums, &RemoteChecksums::finished, this, &RunExportReader::onHashed);
    m_checksums->start(path);
}

void RunExportReader::onHashed()
{
    RemoteChecksums *sums = std::exchange(m_checksums, nullptr);
    sums->deleteLater();
    if (sums->error().code == ErrorCode::ConnectionLost)
        return finish(sums->error());
    QString problem;
    if (sums->error().code != ErrorCode::None)
        problem = sums->error().message;
    else if (sums->rootKind() == RemoteRootKind::Missing)
        problem = QStringLiteral("no such file or folder on the server");
    else if (sums->rootKind() == RemoteRootKind::Unreadable)
        problem = QStringLiteral("cannot be read on the server");
    else if (sums->rootKind() == RemoteRootKind::Other)
        problem = QStringLiteral("neither a file nor a folder");
    (m_hashingModel ? m_configuration.modelFiles : m_configuration.datasetFiles) = sums->files();
    (m_hashingModel ? m_configuration.modelProblem : m_configuration.datasetProblem) = problem;
    if (m_hashingModel)
        return finish();
    m_hashingModel = true;
    hashNext();
}

QByteArray RunExportReader::metricsCsv() const
{
    return MetricsCsv::write(m_metrics);
}

void RunExportReader::finish(const Error &error)
{
    m_error = error;
    Q_EMIT finished();
}

} // namespace rdt
