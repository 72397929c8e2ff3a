// Folder names come from the host profile's name, the run's name and the checkpoint's
// folder: all checked to be single path parts before they touch the disk.
#include "EvalCache.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QStandardPaths>

namespace rdt {

namespace {

Result<void> checkPart(const char *what, const QString &part)
{
    if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String("..") || part.contains(QLatin1Char('/'))
        || part.contains(QChar(0)))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("eval cache: \"%1\" is not a usable %2 name (one folder name, not . or ..)")
                             .arg(part, QLatin1String(what)));
    return {};
}

} // namespace

EvalCache::EvalCache(QString root) : m_root(std::move(root))
{
    if (m_root.isEmpty())
        m_root = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
                 + QStringLiteral("/rdt-workbench/evals");
}

Result<QString> EvalCache::scope(const QString &host, const QString &run) const
{
    if (host.isEmpty()) {
        if (!run.isEmpty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("eval cache: a run (%1) needs its host").arg(run));
        return m_root;
    }
    if (Result<void> ok = checkPart("host", host); !ok)
        return ok.error();
    if (run.isEmpty())
        return QDir(m_root).filePath(host);
    if (Result<void> ok = checkPart("run", run); !ok)
        return ok.error();
    return QDir(m_root).filePath(host + QLatin1Char('/') + run);
}

Result<QString> EvalCache::folder(const QString &host, const QString &run, const QString &checkpoint) const
{
    if (host.isEmpty() || run.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("eval cache: an eval folder needs a host and a run"));
    const Result<QString> parent = scope(host, run);
    if (!parent)
        return parent.error();
    if (Result<void> ok = checkPart("checkpoint", checkpoint); !ok)
        return ok.error();
    return QDir(*parent).filePath(checkpoint);
}

qint64 EvalCache::sizeBytes(const QString &host, const QString &run) const
{
    const Result<QString> where = scope(host, run);
    if (!where)
        return 0;
    qint64 total = 0;
    QDirIterator files(*where, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        files.next();
        total += files.fileInfo().size();
    }
    return total;
}

Result<void> EvalCache::clear(const QString &host, const QString &run) const
{
    const Result<QString> where = scope(host, run);
    if (!where)
        return where.error();
    QDir dir(*where);
    if (!dir.exists())
        return {};
    if (!dir.removeRecursively())
        return makeError(ErrorCode::LocalIo, QStringLiteral("clear the eval cache %1: some files could not be removed").arg(*where));
    return {};
}

} // namespace rdt
