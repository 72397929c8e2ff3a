// How far a checksum listing has got, local or remote, in the form the GUI shows: files
// (cached ones count as done at once) and the bytes that really have to be read.
#pragma once

#include <QMetaType>

namespace rdt {

struct ChecksumProgress {
    int filesDone = 0;        // cached ones included
    int filesTotal = 0;
    int filesFromCache = 0;
    qint64 bytesDone = 0;     // of the files that need hashing
    qint64 bytesTotal = 0;    // of the files that need hashing
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::ChecksumProgress)
