// What tells that a file is still the one whose checksum we remember: size, modification and
// status-change times to the nanosecond, inode and device. ctime cannot be set by a user
// (utimensat moves it to "now"), so a rewrite that restores the mtime still changes it.
#pragma once

#include "Result.h"

#include <QString>

namespace rdt {

struct FileIdentity {
    qint64 size = 0;
    qint64 mtimeNs = 0;
    qint64 ctimeNs = 0;
    quint64 inode = 0;
    quint64 device = 0;

    bool operator==(const FileIdentity &other) const
    {
        return size == other.size && mtimeNs == other.mtimeNs && ctimeNs == other.ctimeNs
            && inode == other.inode && device == other.device;
    }
    bool operator!=(const FileIdentity &other) const { return !(*this == other); }

    // stat(2) of `path`, following symbolic links (a linked dataset is hashed as its target).
    [[nodiscard]] static Result<FileIdentity> of(const QString &path);
};

} // namespace rdt
