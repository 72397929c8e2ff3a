// Only complete checkpoints are listed (the trainer renames each into place), so every
// "@ckpt" line is a whole one; anything else in the answer is a protocol error.
#include "CheckpointListOutput.h"

#include <algorithm>

namespace rdt {
namespace {

bool allDigits(const QByteArray &word)
{
    return !word.isEmpty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

Result<QList<CheckpointInfo>> CheckpointListOutput::parse(const QByteArray &output, const QString &what)
{
    QList<CheckpointInfo> checkpoints;
    QString folder;
    bool sawHeader = false;
    for (const QByteArray &line : output.split('\n')) {
        if (!sawHeader) {
            sawHeader = line == "@rdt-checkpoints 1";
            continue;
        }
        const QList<QByteArray> words = line.split(' ');
        if (words.first() == "@end") {
            std::sort(checkpoints.begin(), checkpoints.end(),
                      [](const CheckpointInfo &a, const CheckpointInfo &b) { return a.step < b.step; });
            return checkpoints;
        }
        if (words.first() == "@no-run")
            return makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: no such run").arg(what));
        if (words.first() == "@no-root")
            return makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: remote root: %2").arg(what, QString::fromUtf8(line.mid(10))));
        if (words.first() == "@run") {
            folder = QString::fromUtf8(line.mid(5));
            continue;
        }
        bool ok[3] = {false, false, false};
        if (words.first() != "@ckpt" || words.size() != 4)
            return makeError(ErrorCode::Protocol, QStringLiteral("%1: unexpected output from the server: %2")
                                                      .arg(what, QString::fromUtf8(line.left(80))));
        CheckpointInfo checkpoint;
        checkpoint.step = words[1].toLongLong(&ok[0]);
        checkpoint.modified = QDateTime::fromSecsSinceEpoch(words[2].toLongLong(&ok[1]));
        checkpoint.bytes = words[3].toLongLong(&ok[2]);
        // The step names the folder (checkpoint-STEP) and the size is shown: both are plain
        // digits, as the script prints them; a sign or a space would make another name.
        if (!ok[0] || !ok[1] || !ok[2] || !allDigits(words[1]) || !allDigits(words[3]))
            return makeError(ErrorCode::Protocol, QStringLiteral("%1: unexpected output from the server: %2")
                                                      .arg(what, QString::fromUtf8(line.left(80))));
        checkpoint.name = QStringLiteral("checkpoint-%1").arg(QString::fromUtf8(words[1]));
        checkpoint.folder = folder + QLatin1Char('/') + checkpoint.name;
        checkpoints.append(checkpoint);
    }
    return makeError(ErrorCode::Protocol, QStringLiteral("%1: the listing was cut off").arg(what));
}

} // namespace rdt
