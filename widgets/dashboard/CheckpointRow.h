// One checkpoint-<step>/ folder of a run (DESIGN.md contract 2).
#pragma once

#include <QDateTime>
#include <QString>

namespace rdt {

struct CheckpointRow {
    qint64 step = 0;
    QDateTime time;          // when it was written (the folder's mtime or the metrics event)
    qint64 sizeBytes = -1;   // -1: not measured yet
    QString path;            // as the server names it, "checkpoint-12000"
};

} // namespace rdt
