// `ssh -G` output for the workbench's keywords, in the order and spelling of OpenSSH's
// dump_client_config(): flags as ssh's multistate tables name them ("true" for a yes
// StrictHostKeyChecking), lists on one line or one line per value as ssh prints them.
#include "SshConfigDump.h"

#include <QSet>

namespace rdt {

namespace {

// ssh's yes/no flags accept true/false too and print yes/no.
QString flag(const SshResolvedOptions &options, const QString &keyword, bool fallback)
{
    const QString value = options.first(keyword).toLower();
    const bool on = value.isEmpty() ? fallback : (value == QLatin1String("yes") || value == QLatin1String("true"));
    return on ? QStringLiteral("yes") : QStringLiteral("no");
}

// Multistate options print the first name of their table for the value given.
QString multistate(const SshResolvedOptions &options, const QString &keyword, const QString &fallback)
{
    const QString value = options.first(keyword, fallback).toLower();
    if (value == QLatin1String("yes") || value == QLatin1String("true") || value == QLatin1String("on"))
        return QStringLiteral("true");
    if (value == QLatin1String("no") || value == QLatin1String("false") || value == QLatin1String("off"))
        return QStringLiteral("false");
    return value;   // ask, accept-new, always
}

// ProxyJump as ssh prints it back: the earlier hops verbatim, the last one parsed, numeric
// hosts in brackets.
QString proxyJump(const QString &value)
{
    const qsizetype comma = value.lastIndexOf(QLatin1Char(','));
    const QString extra = comma >= 0 ? value.left(comma + 1) : QString();
    QString last = value.mid(comma + 1);
    if (last.startsWith(QLatin1String("ssh://"), Qt::CaseInsensitive)) {
        last = last.mid(6);
        if (last.endsWith(QLatin1Char('/')))
            last.chop(1);
    }
    QString user;
    const qsizetype at = last.lastIndexOf(QLatin1Char('@'));
    if (at >= 0) {
        user = last.left(at + 1);
        last = last.mid(at + 1);
    }
    QString host = last;
    QString port;
    if (last.startsWith(QLatin1Char('['))) {
        const qsizetype close = last.indexOf(QLatin1Char(']'));
        host = last.mid(1, close - 1);
        port = last.mid(close + 2);
    } else if (last.count(QLatin1Char(':')) == 1) {
        host = last.section(QLatin1Char(':'), 0, 0);
        port = last.section(QLatin1Char(':'), 1);
    }
    const bool numeric = host.contains(QLatin1Char(':'))
        || std::all_of(host.cbegin(), host.cend(), [](QChar c) { return c == QLatin1Char('.') || c.isDigit(); });
    if (numeric)
        host = QStringLiteral("[%1]").arg(host);
    return extra + user + host + (port.isEmpty() ? QString() : QLatin1Char(':') + port);
}

} // namespace

bool SshConfigDump::isHonoured(const QString &keyword)
{
    static const QSet<QString> honoured{
        QStringLiteral("host"), QStringLiteral("match"), QStringLiteral("include"),
        QStringLiteral("hostname"), QStringLiteral("user"), QStringLiteral("port"),
        QStringLiteral("identityfile"), QStringLiteral("identitiesonly"), QStringLiteral("proxycommand"),
        QStringLiteral("hostkeyalias"), QStringLiteral("globalknownhostsfile"), QStringLiteral("stricthostkeychecking"),
        QStringLiteral("checkhostip"), QStringLiteral("certificatefile"), QStringLiteral("identityagent"),
        QStringLiteral("preferredauthentications"), QStringLiteral("pubkeyauthentication"),
        QStringLiteral("passwordauthentication"), QStringLiteral("kbdinteractiveauthentication"),
        QStringLiteral("connectionattempts"),
        QStringLiteral("userknownhostsfile"), QStringLiteral("proxyjump"),
        QStringLiteral("connecttimeout"), QStringLiteral("serveraliveinterval"),
        QStringLiteral("serveralivecountmax"), QStringLiteral("ciphers"),
        QStringLiteral("canonicalizehostname"), QStringLiteral("canonicaldomains"),
        QStringLiteral("canonicalizemaxdots"), QStringLiteral("canonicalizefallbacklocal"),
    };
    return honoured.contains(keyword);
}

QStringList SshConfigDump::lines(const SshResolvedOptions &options, const SshHost &host, const QString &localUser)
{
    QStringList out;
    auto add = [&out](const QString &keyword, const QString &value) { out.append(keyword + QLatin1Char(' ') + value); };
    auto addIfSet = [&](const QString &keyword, const QString &value) {
        if (!value.isEmpty())
            add(keyword, value);
    };

    add(QStringLiteral("host"), options.originalHost);
    add(QStringLiteral("user"), host.user.isEmpty() ? localUser : host.user);
    add(QStringLiteral("hostname"), host.hostName);
    add(QStringLiteral("port"), QString::number(host.port));

    add(QStringLiteral("canonicalizefallbacklocal"), flag(options, QStringLiteral("canonicalizefallbacklocal"), true));
    add(QStringLiteral("canonicalizehostname"), multistate(options, QStringLiteral("canonicalizehostname"), QStringLiteral("no")));
    add(QStringLiteral("checkhostip"), flag(options, QStringLiteral("checkhostip"), false));
    add(QStringLiteral("identitiesonly"), flag(options, QStringLiteral("identitiesonly"), false));
    add(QStringLiteral("kbdinteractiveauthentication"), flag(options, QStringLiteral("kbdinteractiveauthentication"), true));
    add(QStringLiteral("passwordauthentication"), flag(options, QStringLiteral("passwordauthentication"), true));
    add(QStringLiteral("pubkeyauthentication"), multistate(options, QStringLiteral("pubkeyauthentication"), QStringLiteral("yes")));
    add(QStringLiteral("stricthostkeychecking"), multistate(options, QStringLiteral("stricthostkeychecking"), QStringLiteral("ask")));

    add(QStringLiteral("canonicalizemaxdots"), options.first(QStringLiteral("canonicalizemaxdots"), QStringLiteral("1")));
    add(QStringLiteral("connectionattempts"), options.first(QStringLiteral("connectionattempts"), QStringLiteral("1")));
    add(QStringLiteral("serveralivecountmax"), options.first(QStringLiteral("serveralivecountmax"), QStringLiteral("3")));
    add(QStringLiteral("serveraliveinterval"), options.first(QStringLiteral("serveraliveinterval"), QStringLiteral("0")));

    // A "+", "-" or "^" list edits OpenSSH's defaults, which the workbench does not share.
    if (!host.ciphers.isEmpty() && !QStringLiteral("+-^").contains(host.ciphers.front()))
        add(QStringLiteral("ciphers"), host.ciphers);
    addIfSet(QStringLiteral("hostkeyalias"), options.first(QStringLiteral("hostkeyalias")));
    addIfSet(QStringLiteral("identityagent"), host.identityAgent);
    addIfSet(QStringLiteral("preferredauthentications"), options.first(QStringLiteral("preferredauthentications")));

    // ssh prints IdentityFile and CertificateFile as written, and its defaults when none is given.
    if (options.identityFiles.isEmpty()) {
        for (const char *name : {"id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa"})
            add(QStringLiteral("identityfile"), QStringLiteral("~/.ssh/") + QLatin1String(name));
    }
    for (const SshConfigValue &identity : options.identityFiles)
        add(QStringLiteral("identityfile"), identity.arguments.first());
    const SshConfigValue *domains = options.value(QStringLiteral("canonicaldomains"));
    add(QStringLiteral("canonicaldomains"), domains ? domains->arguments.join(QLatin1Char(' ')) : QStringLiteral("none"));
    for (const SshConfigValue &certificate : options.certificateFiles)
        add(QStringLiteral("certificatefile"), certificate.arguments.first());
    const SshConfigValue *global = options.value(QStringLiteral("globalknownhostsfile"));
    add(QStringLiteral("globalknownhostsfile"), global ? global->arguments.join(QLatin1Char(' '))
                                                       : QStringLiteral("/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2"));
    const bool noUserFiles = options.first(QStringLiteral("userknownhostsfile")).compare(QLatin1String("none"), Qt::CaseInsensitive) == 0;
    add(QStringLiteral("userknownhostsfile"), noUserFiles ? QStringLiteral("none") : host.userKnownHostsFiles.join(QLatin1Char(' ')));
    add(QStringLiteral("connecttimeout"), options.first(QStringLiteral("connecttimeout"), QStringLiteral("none")));

    const QString command = options.first(QStringLiteral("proxycommand"));
    const QString jump = options.first(QStringLiteral("proxyjump"));
    if (!jump.isEmpty() && jump != QLatin1String("none"))
        add(QStringLiteral("proxyjump"), proxyJump(jump));
    else if (!command.isEmpty() && command.compare(QLatin1String("none"), Qt::CaseInsensitive) != 0)
        add(QStringLiteral("proxycommand"), options.value(QStringLiteral("proxycommand"))->arguments.join(QLatin1Char(' ')));
    return out;
}

} // namespace rdt
