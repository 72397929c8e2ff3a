// The checkpoint list's reading of its script's answer ("@ckpt STEP MTIME BYTES" lines),
// apart from the command (CheckpointList) so that it can be fuzzed alone
// (tests/fuzz/checkpoint_list).
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace rdt {

struct CheckpointInfo {
    qint64 step = 0;
    QString name;          // "checkpoint-500"
    QString folder;        // absolute on the server
    QDateTime modified;
    qint64 bytes = 0;      // the whole folder
};

class CheckpointListOutput {
public:
    // `what` starts every error message ("checkpoints of run demo").
    [[nodiscard]] static Result<QList<CheckpointInfo>> parse(const QByteArray &output, const QString &what);
};

} // namespace rdt
