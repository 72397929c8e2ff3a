// A trailing "-N" is the counter; anything else is the stem.
#include "NextRunName.h"

#include <QRegularExpression>

namespace rdt {

QString NextRunName::after(const QString &last, const QStringList &taken)
{
    // Up to three digits: a longer number is part of the name (a date, a time).
    static const QRegularExpression counted(QStringLiteral("^(.*\\S)-(\\d{1,3})$"));
    QString stem = last.isEmpty() ? QStringLiteral("run") : last;
    int counter = 1;
    if (const QRegularExpressionMatch match = counted.match(last); match.hasMatch()) {
        stem = match.captured(1);
        counter = match.captured(2).toInt();
    }
    QString name;
    do
        name = QStringLiteral("%1-%2").arg(stem).arg(++counter);
    while (taken.contains(name));
    return name;
}

} // namespace rdt
