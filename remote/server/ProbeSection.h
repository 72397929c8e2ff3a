// One section of the server probe script's output (ServerProbeScript.h gives the format):
// a sub-command's stdout and stderr lines and its exit status.
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QRegularExpression>
#include <QString>

namespace rdt {

struct ProbeSection {
    QString name;
    QList<QByteArray> out;   // stdout lines, prefix removed
    QList<QByteArray> err;   // stderr lines, prefix removed
    int status = -1;         // -1: no @@status line

    // The script's own limit on a hanging sub-command (`timeout 30`) ends it with
    // timeout(1)'s status; a command that is not installed, with the shell's.
    static constexpr int kTimedOut = 124;
    static constexpr int kNotFound = 127;

    QByteArray stdoutText() const { return out.join('\n'); }

    // The first thing worth quoting when the command failed: its first stderr line, else
    // its first stdout line.
    QString firstMessage() const
    {
        for (const QList<QByteArray> *lines : {&err, &out}) {
            for (const QByteArray &line : *lines) {
                if (!line.trimmed().isEmpty())
                    return QString::fromUtf8(line.trimmed());
            }
        }
        return {};
    }

    // key=value lines; a line that does not start a key continues the previous value (a
    // path with a newline in it).
    QMap<QString, QString> values() const
    {
        static const QRegularExpression keyPattern(QStringLiteral("^([a-z_]+)=(.*)$"));
        QMap<QString, QString> map;
        QString lastKey;
        for (const QByteArray &raw : out) {
            const QString line = QString::fromUtf8(raw);
            const QRegularExpressionMatch match = keyPattern.match(line);
            if (match.hasMatch()) {
                lastKey = match.captured(1);
                map.insert(lastKey, match.captured(2));
            } else if (!lastKey.isEmpty()) {
                map[lastKey] += QLatin1Char('\n') + line;
            }
        }
        return map;
    }
};

} // namespace rdt
