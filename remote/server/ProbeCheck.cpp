// The wording the server probe's checks share.
#include "ProbeCheck.h"

#include "ShellQuote.h"

#include <cmath>

namespace rdt {

QString ProbeCheck::formatBytes(qint64 bytes)
{
    const double value = double(bytes);
    if (value >= double(qint64(1) << 40))
        return QStringLiteral("%1 TiB").arg(value / double(qint64(1) << 40), 0, 'f', 1);
    if (value >= double(qint64(1) << 30)) {
        const double gib = value / double(qint64(1) << 30);
        return QStringLiteral("%1 GiB").arg(gib, 0, 'f', gib < 10 ? 1 : 0);
    }
    if (value >= double(qint64(1) << 20))
        return QStringLiteral("%1 MiB").arg(std::round(value / double(qint64(1) << 20)));
    if (value >= 1024)
        return QStringLiteral("%1 KiB").arg(std::round(value / 1024));
    return QStringLiteral("%1 bytes").arg(bytes);
}

QString ProbeCheck::quoted(const QString &path)
{
    return QString::fromUtf8(shellQuote(path.toUtf8()));
}

CheckItem ProbeCheck::makeItem(CheckId id, const QString &title, CheckStatus status,
                               const QString &detail, const QString &hint)
{
    CheckItem item;
    item.id = id;
    item.title = title;
    item.status = status;
    item.detail = detail;
    item.hint = hint;
    return item;
}

CheckItem ProbeCheck::missingSection(CheckId id, const QString &title, const QString &section)
{
    return makeItem(id, title, CheckStatus::Failed,
                    QStringLiteral("the server probe printed no \"%1\" section").arg(section),
                    QStringLiteral("the probe script and this parser disagree; report it with "
                                   "the output of `rdtctl check --json`"));
}

} // namespace rdt
