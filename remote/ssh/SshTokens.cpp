// Token expansion for ssh_config values (ssh.c and misc.c's percent_expand()).
#include "SshTokens.h"

#include "SshConfigReader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

namespace rdt {

SshLocalSide SshLocalSide::current(const QString &homeDir)
{
    SshLocalSide local;
    // The password database first, as ssh does for %u and the default User; $USER may lie
    // after su or in containers.
    if (const passwd *entry = getpwuid(getuid()))
        local.user = QString::fromLocal8Bit(entry->pw_name);
    else
        local.user = qEnvironmentVariable("USER");
    local.homeDir = homeDir.isEmpty() ? QDir::homePath() : homeDir;
    local.hostName = QSysInfo::machineHostName();
    local.uid = QString::number(getuid());
    return local;
}

Result<QString> SshTokens::expand(const QString &text, const QHash<QChar, QString> &values, bool environment,
                                  const QString &where)
{
    QString out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (environment && c == QLatin1Char('$') && i + 1 < text.size() && text[i + 1] == QLatin1Char('{')) {
            const qsizetype close = text.indexOf(QLatin1Char('}'), i + 2);
            if (close < 0)
                return SshConfigReader::configError(where, QStringLiteral("'%1' has '${' without '}'").arg(text));
            const QString name = text.mid(i + 2, close - i - 2);
            if (!qEnvironmentVariableIsSet(name.toLocal8Bit().constData()))
                return SshConfigReader::configError(
                    where, QStringLiteral("'%1' names the environment variable %2, which is not set").arg(text, name));
            out += qEnvironmentVariable(name.toLocal8Bit().constData());
            i = close;
            continue;
        }
        if (c != QLatin1Char('%')) {
            out += c;
            continue;
        }
        if (i + 1 >= text.size())
            return SshConfigReader::configError(where, QStringLiteral("'%1' ends with a lone %").arg(text));
        const QChar token = text[++i];
        if (token == QLatin1Char('%')) {
            out += token;
            continue;
        }
        const auto value = values.constFind(token);
        if (value == values.constEnd())
            return SshConfigReader::configError(
                where, QStringLiteral("%%1 is not a token ssh expands in '%2'").arg(token).arg(text));
        out += *value;
    }
    return out;
}

QString SshTokens::connectionHash(const QString &localHost, const QString &host, int port, const QString &user,
                                  const QString &jumpHost)
{
    const QByteArray text = (localHost + host + QString::number(port) + user + jumpHost).toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha1).toHex());
}

} // namespace rdt
