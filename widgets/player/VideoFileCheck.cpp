// The MP4 (ISO base media file) walk: each top-level box starts with a 32-bit big-endian
// size and a four-letter type; size 1 means a 64-bit size follows, size 0 "to the end".
#include "VideoFileCheck.h"

#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QtEndian>

namespace rdt {

namespace {

bool isMp4Name(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("mp4") || suffix == QLatin1String("m4v") || suffix == QLatin1String("mov");
}

bool isBoxType(const QByteArray &type)
{
    for (char c : type)
        if (c < 0x20 || c > 0x7e)
            return false;
    return true;
}

VideoFileCheck finding(VideoFileCheck::Verdict kind, const QString &reason)
{
    VideoFileCheck check;
    check.verdict = kind;
    check.reason = reason;
    return check;
}

} // namespace

VideoFileCheck VideoFileCheck::inspect(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return finding(Verdict::Broken, QStringLiteral("no such file"));
    if (!file.open(QIODevice::ReadOnly))
        return finding(Verdict::Broken, file.errorString());
    const qint64 fileSize = file.size();
    if (fileSize == 0)
        return finding(Verdict::Broken, QStringLiteral("the file is empty"));
    if (!isMp4Name(path))
        return {};

    const QLocale locale = QLocale::c();
    bool sawIndex = false;
    qint64 offset = 0;
    while (offset < fileSize) {
        if (!file.seek(offset))
            return finding(Verdict::Broken, file.errorString());
        const QByteArray header = file.read(16);
        if (header.size() < 8)
            return finding(sawIndex ? Verdict::Truncated : Verdict::Broken,
                           QStringLiteral("truncated: the file ends inside a box header at byte %1")
                               .arg(locale.toString(offset)));
        const QByteArray type = header.mid(4, 4);
        quint64 size = qFromBigEndian<quint32>(header.constData());
        // QuickTime .mov files may open with other boxes; MP4 requires 'ftyp' first.
        if (offset == 0 && (!isBoxType(type) || (type != "ftyp" && !path.endsWith(QLatin1String(".mov"), Qt::CaseInsensitive))))
            return finding(Verdict::Broken, QStringLiteral("not an MP4 file (it does not start with an 'ftyp' box)"));
        if (!isBoxType(type))
            return finding(Verdict::Broken, QStringLiteral("damaged: no valid box at byte %1").arg(locale.toString(offset)));
        if (size == 1 && header.size() == 16)
            size = qFromBigEndian<quint64>(header.constData() + 8);
        else if (size == 0)
            size = quint64(fileSize - offset);
        if (size < 8)
            return finding(Verdict::Broken, QStringLiteral("damaged: the '%1' box at byte %2 has size %3")
                                                .arg(QString::fromLatin1(type), locale.toString(offset)).arg(size));
        if (type == "moov")
            sawIndex = true;
        if (quint64(offset) + size > quint64(fileSize)) {
            const QString cut = QStringLiteral("truncated: the '%1' box at byte %2 declares %3 bytes, the file ends after %4")
                                    .arg(QString::fromLatin1(type), locale.toString(offset),
                                         locale.toString(size), locale.toString(fileSize - offset));
            if (!sawIndex)
                return finding(Verdict::Broken, cut + QStringLiteral("; the 'moov' index a player needs is missing"));
            return finding(Verdict::Truncated, cut + QStringLiteral("; it plays up to the cut"));
        }
        offset += qint64(size);
    }
    if (!sawIndex)
        return finding(Verdict::Broken, QStringLiteral("no 'moov' box (the index a player needs)"));
    return {};
}

} // namespace rdt
