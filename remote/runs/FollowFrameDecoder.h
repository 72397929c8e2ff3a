// Splits the output of the file-follow script (RemoteFileFollower) into frames. The script
// prints one header line per frame and, for data, exactly the announced number of bytes
// after it, so file contents can never be mistaken for a marker:
//   @rdt-follow 1               header; lines before it (login banners) are ignored
//   @data OFFSET LENGTH         then LENGTH bytes of the file from OFFSET
//   @reset truncated|replaced INODE   the file shrank or is a new file: data restarts at 0
//   @missing                    the file does not exist (yet); the script keeps waiting
//   @eof OFFSET INODE           caught up with the file's end (after the backfill, after data)
//   @alive OFFSET               every few seconds while nothing changes
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace rdt {

struct FollowFrame {
    enum class Kind { Data, Reset, Missing, EndOfFile, Alive };
    Kind kind = Kind::Data;
    qint64 offset = 0;     // Data: where bytes start; EndOfFile, Alive: the script's offset
    QByteArray bytes;      // Data
    QString reason;        // Reset: "truncated" or "replaced"
    QByteArray inode;      // Reset, EndOfFile: the file's inode number, for a later resume
};

class FollowFrameDecoder {
public:
    // Appends output and returns the frames it completes; an error for output that breaks
    // the protocol (after which the decoder stays failed).
    [[nodiscard]] Result<QList<FollowFrame>> feed(const QByteArray &output);
    bool sawHeader() const { return m_sawHeader; }

private:
    QByteArray m_buffer;
    bool m_sawHeader = false;
    bool m_failed = false;
    FollowFrame m_data;          // a data frame still waiting for its bytes
    qint64 m_dataMissing = -1;   // -1: no data frame open
};

} // namespace rdt
