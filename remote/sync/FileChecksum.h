// One file of a checksum listing, local or remote: where it is relative to the listed root,
// its size and modification time, and its MD5 as md5sum prints it (32 lowercase hex digits).
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace rdt {

struct FileChecksum {
    QString relativePath;   // '/'-separated, relative to the root; a file root lists its own name
    qint64 size = 0;
    qint64 mtimeNs = 0;     // nanoseconds since the Unix epoch
    QString md5;            // empty only while not computed yet

    bool operator==(const FileChecksum &other) const
    {
        return relativePath == other.relativePath && size == other.size && mtimeNs == other.mtimeNs
            && md5 == other.md5;
    }
};

using FileChecksumList = QList<FileChecksum>;

} // namespace rdt

Q_DECLARE_METATYPE(rdt::FileChecksum)
