// The script answers "@path PATH\0", then one "TYPE SIZE MTIME NAME\0" record per entry,
// then "@end\n"; or one "@fail WHY" line. NUL is the only byte a name cannot hold, so every
// record ends at one and no name can pass for a record or for the end.
#include "RemoteFolderListing.h"

#include "CollectedCommand.h"
#include "ScriptAnswer.h"
#include "SshClient.h"

#include <algorithm>

namespace rdt {
namespace {

// $1: the folder. `cd` first, so a name starting with "-" or holding a newline is no
// option and no second line; %Y is the type a link points at (d: a folder).
constexpr char kList[] = R"SH(
d=$1
case $d in "~") d=$HOME ;; "~/"*) d=$HOME/${d#"~/"} ;; esac
[ -e "$d" ] || { printf '@fail no such folder\n'; exit 0; }
[ -d "$d" ] || { printf '@fail not a folder\n'; exit 0; }
cd -- "$d" 2>/dev/null && [ -r . ] || { printf '@fail permission denied\n'; exit 0; }
command -v find >/dev/null 2>&1 || { printf '@fail the server has no find\n'; exit 0; }
printf '@path %s\0' "$PWD"
find . -mindepth 1 -maxdepth 1 -printf '%Y %y %s %T@ %f\0' 2>/dev/null
printf '@end\n'
)SH";

constexpr char kTag[] = "@rdt-folder 1";

Error listingError(const QString &what, const QString &why)
{
    return makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: %2").arg(what, why));
}

} // namespace

RemoteFolderListing::RemoteFolderListing(SshClient *client, QObject *parent) : QObject(parent), m_client(client)
{
    qRegisterMetaType<RemoteFolderContents>();
}

RemoteFolderListing::~RemoteFolderListing()
{
    cancelAll();
}

QList<QByteArray> RemoteFolderListing::command(const QString &path)
{
    return {"sh", "-c", ScriptAnswer::printHeader(kTag) + kList, "rdt-folder", path.toUtf8()};
}

Result<RemoteFolderContents> RemoteFolderListing::parseOutput(const QByteArray &output, const QString &what)
{
    const std::optional<QByteArray> answer = ScriptAnswer::after(output, kTag);
    if (!answer)
        return makeError(ErrorCode::Protocol, QStringLiteral("%1: the server's answer never came").arg(what));
    if (answer->startsWith("@fail "))
        return listingError(what, QString::fromUtf8(answer->mid(6)).trimmed());
    if (!answer->startsWith("@path "))
        return makeError(ErrorCode::Protocol, QStringLiteral("%1: unexpected answer %2").arg(what, QString::fromUtf8(answer->left(60))));
    const QList<QByteArray> records = answer->split('\0');
    if (records.last() != "@end\n")
        return makeError(ErrorCode::Protocol, QStringLiteral("%1: the listing was cut off").arg(what));
    RemoteFolderContents contents;
    contents.path = QString::fromUtf8(records.first().mid(6));
    for (qsizetype i = 1; i + 1 < records.size(); ++i) {
        const QByteArray &record = records.at(i);
        // "Y y SIZE MTIME NAME": the name is everything after the fourth space.
        qsizetype at = -1;
        QList<QByteArray> fields;
        for (int field = 0; field < 4; ++field) {
            const qsizetype next = record.indexOf(' ', at + 1);
            if (next < 0)
                return makeError(ErrorCode::Protocol, QStringLiteral("%1: bad entry %2").arg(what, QString::fromUtf8(record.left(60))));
            fields.append(record.mid(at + 1, next - at - 1));
            at = next;
        }
        RemoteFolderEntry entry;
        entry.name = QString::fromUtf8(record.mid(at + 1));
        entry.isFolder = fields[0] == "d";
        entry.isLink = fields[1] == "l";
        entry.sizeBytes = fields[2].toLongLong();
        entry.modified = QDateTime::fromMSecsSinceEpoch(qint64(fields[3].toDouble() * 1000.0));
        if (!entry.name.isEmpty())
            contents.entries.append(entry);
    }
    std::sort(contents.entries.begin(), contents.entries.end(), [](const RemoteFolderEntry &a, const RemoteFolderEntry &b) {
        if (a.isFolder != b.isFolder)
            return a.isFolder;
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return contents;
}

void RemoteFolderListing::list(const QString &path)
{
    const QString what = QStringLiteral("list %1 on the server").arg(path);
    if (!m_client || path.isEmpty()) {
        const Error error = makeError(ErrorCode::InvalidArgument,
                                      QStringLiteral("%1: %2").arg(what, path.isEmpty() ? QStringLiteral("no folder given")
                                                                                        : QStringLiteral("not connected")));
        QMetaObject::invokeMethod(this, [this, path, error] { Q_EMIT failed(path, error); }, Qt::QueuedConnection);
        return;
    }
    CommandSpec spec;
    spec.argv = command(path);
    spec.timeoutMs = 60000;
    auto *command = new CollectedCommand(m_client, spec, what, this);
    m_pending.insert(command, path);
    connect(command, &CollectedCommand::finished, this, [this, command] { onFinished(command); });
}

void RemoteFolderListing::cancelAll()
{
    const QList<CollectedCommand *> commands = m_pending.keys();
    m_pending.clear();
    for (CollectedCommand *command : commands)
        command->abandon();
}

bool RemoteFolderListing::isListing(const QString &path) const
{
    return std::find(m_pending.cbegin(), m_pending.cend(), path) != m_pending.cend();
}

void RemoteFolderListing::onFinished(CollectedCommand *command)
{
    const QString path = m_pending.take(command);
    command->deleteLater();
    if (command->error().code != ErrorCode::None) {
        Q_EMIT failed(path, command->error());
        return;
    }
    Result<RemoteFolderContents> contents = parseOutput(command->output(), QStringLiteral("list %1 on the server").arg(path));
    if (!contents)
        Q_EMIT failed(path, command->withServerSaid(contents.error()));
    else
        Q_EMIT listed(path, *contents);
}

} // namespace rdt
