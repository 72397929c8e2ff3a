// How far a transfer is: bytes, rate and time left, for one file or for a whole sync.
#pragma once

#include <QtGlobal>

namespace rdt {

struct TransferProgress {
    qint64 bytesDone = 0;        // including bytes already there when the transfer resumed
    qint64 bytesTotal = 0;
    double bytesPerSecond = 0;   // over what actually moved in this transfer
    double secondsLeft = -1;     // -1: not known yet

    double fraction() const { return bytesTotal > 0 ? double(bytesDone) / double(bytesTotal) : 1.0; }
};

} // namespace rdt
