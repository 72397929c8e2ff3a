// FileIdentity::of: one stat(2) call, errors in the product's "what: why" form.
#include "FileIdentity.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace rdt {

Result<FileIdentity> FileIdentity::of(const QString &path)
{
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0) {
        QString reason = QString::fromLocal8Bit(std::strerror(errno));
        if (!reason.isEmpty())
            reason[0] = reason[0].toLower();   // "…: no such file or directory", as Md5Hasher says it
        return makeError(ErrorCode::LocalIo, QStringLiteral("reading the status of %1: %2").arg(path, reason));
    }
    FileIdentity identity;
    identity.size = info.st_size;
    identity.mtimeNs = qint64(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
    identity.ctimeNs = qint64(info.st_ctim.tv_sec) * 1000000000 + info.st_ctim.tv_nsec;
    identity.inode = info.st_ino;
    identity.device = info.st_dev;
    return identity;
}

} // namespace rdt
