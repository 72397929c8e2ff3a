// The checkpoint name rule and the eval folder's paths.
#include "EvalFolder.h"

#include "RunFolderLayout.h"

#include <QRegularExpression>

namespace rdt {
namespace {

QString trimmedRoot(const QString &remoteRoot)
{
    QString root = remoteRoot;
    while (root.size() > 1 && root.endsWith(QLatin1Char('/')))
        root.chop(1);
    return root;
}

} // namespace

Result<void> EvalFolder::checkCheckpointName(const QString &checkpoint)
{
    static const QRegularExpression valid(QStringLiteral("^checkpoint-[0-9]{1,12}$"));
    if (!valid.match(checkpoint).hasMatch())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("checkpoint \"%1\": expected checkpoint-N, N a step number").arg(checkpoint));
    return {};
}

Result<void> EvalFolder::check(const QString &runName, const QString &checkpoint)
{
    if (Result<void> run = RunFolderLayout::checkRunName(runName); !run)
        return run;
    return checkCheckpointName(checkpoint);
}

QString EvalFolder::folder(const QString &remoteRoot, const QString &runName, const QString &checkpoint)
{
    return QStringLiteral("%1/runs/%2").arg(trimmedRoot(remoteRoot), relativeToRuns(runName, checkpoint));
}

QString EvalFolder::eventsPath(const QString &remoteRoot, const QString &runName, const QString &checkpoint)
{
    return folder(remoteRoot, runName, checkpoint) + QStringLiteral("/events.jsonl");
}

QString EvalFolder::relativeToRuns(const QString &runName, const QString &checkpoint)
{
    return QStringLiteral("%1/eval/%2").arg(runName, checkpoint);
}

} // namespace rdt
