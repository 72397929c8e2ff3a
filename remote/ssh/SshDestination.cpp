// Parses a destination the way ssh parses its command line (parse_ssh_uri, parse_user_host_port).
#include "SshDestination.h"

#include <QRegularExpression>

namespace rdt {

Result<SshDestination> SshDestination::parse(const QString &spec, const QString &where)
{
    auto invalid = [&](const QString &why) {
        const QString message = QStringLiteral("host '%1': %2").arg(spec, why);
        return makeError(ErrorCode::InvalidArgument,
                         where.isEmpty() ? message : QStringLiteral("%1: %2").arg(where, message));
    };
    QString rest = spec.trimmed();
    if (rest.startsWith(QLatin1String("ssh://"), Qt::CaseInsensitive)) {
        rest = rest.mid(6);
        if (rest.endsWith(QLatin1Char('/')))
            rest.chop(1);
    }
    SshDestination destination;
    // The user name may itself hold an `@` (user@domain@host), so split at the last one.
    const qsizetype at = rest.lastIndexOf(QLatin1Char('@'));
    if (at >= 0) {
        destination.user = rest.left(at);
        rest = rest.mid(at + 1);
        if (destination.user.isEmpty())
            return invalid(QStringLiteral("empty user name before '@'"));
    }
    QString portText;
    if (rest.startsWith(QLatin1Char('['))) {
        const qsizetype close = rest.indexOf(QLatin1Char(']'));
        if (close < 0)
            return invalid(QStringLiteral("'[' without ']'"));
        destination.host = rest.mid(1, close - 1);
        const QString after = rest.mid(close + 1);
        if (after.startsWith(QLatin1Char(':')))
            portText = after.mid(1);
        else if (!after.isEmpty())
            return invalid(QStringLiteral("unexpected '%1' after ']'").arg(after));
        if (after == QLatin1String(":"))
            return invalid(QStringLiteral("empty port"));
    } else if (rest.count(QLatin1Char(':')) == 1) {
        const qsizetype colon = rest.indexOf(QLatin1Char(':'));
        destination.host = rest.left(colon);
        portText = rest.mid(colon + 1);
        if (portText.isEmpty())
            return invalid(QStringLiteral("empty port"));
    } else {
        destination.host = rest;  // a bare IPv6 address, or no port at all
    }
    if (destination.host.isEmpty())
        return invalid(QStringLiteral("no host name"));
    if (destination.host.contains(QRegularExpression(QStringLiteral("[\\s/,]"))))
        return invalid(QStringLiteral("the host name contains a blank, '/' or ','"));
    if (!portText.isEmpty()) {
        bool ok = false;
        destination.port = portText.toInt(&ok);
        if (!ok || destination.port < 1 || destination.port > 65535)
            return invalid(QStringLiteral("port '%1' is not a number from 1 to 65535").arg(portText));
    }
    return destination;
}

} // namespace rdt
