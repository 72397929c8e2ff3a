// The filesystem that holds a folder, as `df -Pk FOLDER` reports it, and that parser.
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

namespace rdt {

struct DiskUsage {
    QString filesystem;      // "/dev/nvme0n1p2"
    QString mountPoint;      // "/data"
    qint64 totalBytes = 0;
    qint64 usedBytes = 0;
    qint64 availableBytes = 0;  // what an unprivileged user may still write

    // Expects POSIX output (`-P`): a header line, then one line per filesystem with
    // 1024-byte blocks (`-k`). The first filesystem line is taken; the mount point may hold
    // blanks. Errors quote the line that did not parse.
    [[nodiscard]] static Result<DiskUsage> parseDfPk(const QByteArray &output);
};

} // namespace rdt
