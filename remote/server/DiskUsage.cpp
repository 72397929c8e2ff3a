// Parses `df -Pk` output into a DiskUsage.
#include "DiskUsage.h"

#include <QRegularExpression>

#include <limits>
#include <optional>

namespace rdt {

Result<DiskUsage> DiskUsage::parseDfPk(const QByteArray &output)
{
    const QList<QByteArray> lines = output.trimmed().split('\n');
    if (lines.size() < 2 || !lines.first().startsWith("Filesystem"))
        return makeError(ErrorCode::RemoteFailed,
                         QStringLiteral("df -Pk output has no header and filesystem line: \"%1\"")
                             .arg(QString::fromUtf8(output.left(200)).trimmed()));
    // Filesystem, 1024-blocks, Used, Available, Capacity, Mounted on. The name is taken
    // lazily and the mount point greedily, so blanks inside either still parse. Some
    // filesystems (network mounts) print `-` for values they do not know.
    static const QRegularExpression linePattern(QStringLiteral(
        "^(.+?)\\s+(\\d+|-)\\s+(\\d+|-)\\s+(-?\\d+|-)\\s+(\\d+%|-)\\s+(.+)$"));
    const QString line = QString::fromUtf8(lines.at(1)).trimmed();
    const QRegularExpressionMatch match = linePattern.match(line);
    if (!match.hasMatch())
        return makeError(ErrorCode::RemoteFailed,
                         QStringLiteral("df -Pk line \"%1\" is not \"filesystem blocks used "
                                        "available capacity mountpoint\"").arg(line));
    // A count of KiB whose bytes do not fit a qint64 (or more digits than one holds) is a
    // broken answer, not a disk: refused, since multiplying it would overflow.
    constexpr qint64 kMaxKibibytes = std::numeric_limits<qint64>::max() / 1024;
    std::optional<QString> tooLarge;
    auto kibibytes = [&](int group) -> qint64 {
        const QString text = match.captured(group);
        if (text == QLatin1String("-"))
            return 0;
        bool ok = false;
        const qint64 value = text.toLongLong(&ok);
        if (!ok || value > kMaxKibibytes || value < -kMaxKibibytes) {
            tooLarge = text;
            return 0;
        }
        return value * 1024;
    };
    DiskUsage usage;
    usage.filesystem = match.captured(1);
    usage.totalBytes = kibibytes(2);
    usage.usedBytes = kibibytes(3);
    usage.availableBytes = qMax<qint64>(0, kibibytes(4));  // negative when root's reserve is in use
    if (tooLarge)
        return makeError(ErrorCode::RemoteFailed,
                         QStringLiteral("df -Pk line \"%1\": %2 KiB is more than a 64-bit byte count holds")
                             .arg(line, *tooLarge));
    usage.mountPoint = match.captured(6);
    return usage;
}

} // namespace rdt
