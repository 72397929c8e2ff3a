// Loads the user's and the system's ssh_config, runs SshConfigEvaluator's passes for one
// destination as ssh.c's main() does (HostName, canonicalisation, final pass), and
// resolves ProxyJump chains hop by hop.
#include "SshConfig.h"

#include "SshCanonicalHost.h"
#include "SshConfigDump.h"
#include "SshConfigEvaluator.h"
#include "SshConfigReader.h"
#include "SshDestination.h"
#include "SshHostPatterns.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <functional>

namespace rdt {

namespace {

// A ProxyJump chain longer than this is a loop that the visiting list did not catch (for
// instance the same host reached under ever different user names); ssh itself would fork
// without end.
constexpr int kMaxJumps = 32;

// The workbench's own timing where the file says nothing: ssh waits for the system's TCP
// timeout and sends no keepalives, which leaves a dead jump host hanging for minutes.
constexpr int kDefaultConnectTimeoutSeconds = 15;

bool isYes(const QString &value)
{
    const QString lower = value.toLower();
    return lower == QLatin1String("yes") || lower == QLatin1String("true") || lower == QLatin1String("on");
}

} // namespace

SshConfig::SshConfig(const QString &homeDir)
    : m_local(SshLocalSide::current(homeDir))
{
}

Result<SshConfig> SshConfig::load(const QString &path, const QString &homeDir, const QString &systemPath)
{
    SshConfig config(homeDir);
    QString file = path;
    const bool named = !file.isEmpty();
    if (!named) {
        file = config.m_local.homeDir + QStringLiteral("/.ssh/config");
    } else {
        file = config.expandTilde(file);
    }
    config.m_fileName = file;
    // ssh, too, runs without a user config; a file named with -F must exist.
    if (named || QFileInfo::exists(file)) {
        SshConfigReader reader(config.m_local.homeDir);
        Result<QList<SshConfigLine>> lines = reader.readFile(file);
        if (!lines)
            return lines.error();
        config.m_lines = std::move(lines).value();
        config.m_warnings = reader.warnings();
    }
    if (!named && !systemPath.isEmpty() && QFileInfo::exists(systemPath)) {
        SshConfigReader reader(config.m_local.homeDir, true, QFileInfo(systemPath).absolutePath());
        Result<QList<SshConfigLine>> lines = reader.readFile(systemPath);
        if (!lines)
            return lines.error();
        config.m_systemLines = std::move(lines).value();
        config.m_warnings += reader.warnings();
    }
    return config;
}

Result<SshConfig> SshConfig::parse(const QByteArray &text, const QString &fileName,
                                   const QString &homeDir)
{
    SshConfig config(homeDir);
    config.m_fileName = fileName;
    SshConfigReader reader(config.m_local.homeDir);
    Result<QList<SshConfigLine>> lines = reader.parseText(text, fileName);
    if (!lines)
        return lines.error();
    config.m_lines = std::move(lines).value();
    config.m_warnings = reader.warnings();
    return config;
}

QString SshConfig::expandTilde(const QString &path) const
{
    return SshConfigReader::expandTilde(path, m_local.homeDir);
}

Result<SshResolvedOptions> SshConfig::resolveOptions(const SshDestination &destination,
                                                     const QStringList &jumpOverride) const
{
    SshResolvedOptions options;
    options.originalHost = destination.host;
    // The command line comes first, so its values win over every file.
    const QString commandLine = QStringLiteral("command line");
    if (!destination.user.isEmpty())
        options.values.insert(QStringLiteral("user"), {{destination.user}, commandLine});
    if (destination.port != 0)
        options.values.insert(QStringLiteral("port"), {{QString::number(destination.port)}, commandLine});
    if (!jumpOverride.isEmpty())
        options.values.insert(QStringLiteral("proxyjump"), {{jumpOverride.join(QLatin1Char(','))}, QStringLiteral("-J")});

    const SshConfigEvaluator first(m_local, destination.host, false);
    first.apply(m_lines, options);
    first.apply(m_systemLines, options);

    // ssh.c: HostName with %h, lower case unless an address, then canonicalisation.
    QString host = destination.host;
    if (const SshConfigValue *hostName = options.value(QStringLiteral("hostname"))) {
        Result<QString> expanded = SshTokens::expand(hostName->arguments.first(),
                                                     {{QLatin1Char('h'), destination.host}}, false, hostName->where);
        if (!expanded)
            return expanded.error();
        host = expanded.value();
    }
    const QString canonicalize = options.first(QStringLiteral("canonicalizehostname"), QStringLiteral("no")).toLower();
    const bool canonicalizing = canonicalize != QLatin1String("no") && canonicalize != QLatin1String("false");
    const QString address = SshCanonicalHost::numericAddress(host);
    if (!address.isEmpty()) {
        host = address;
    } else {
        host = host.toLower();
        const QString command = options.first(QStringLiteral("proxycommand"), QStringLiteral("none"));
        const QString jump = options.first(QStringLiteral("proxyjump"), QStringLiteral("none"));
        const bool direct = command.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0
            && jump.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0;
        // Names a proxy resolves are left to it unless canonicalisation is "always".
        if (canonicalizing && !SshCanonicalHost::looksLikeAddress(host)
            && (direct || canonicalize == QLatin1String("always"))) {
            const SshConfigValue *domains = options.value(QStringLiteral("canonicaldomains"));
            const std::optional<QString> found = SshCanonicalHost::searchDomains(
                host, domains ? domains->arguments : QStringList(),
                options.first(QStringLiteral("canonicalizemaxdots"), QStringLiteral("1")).toInt());
            if (found && !found->isEmpty()) {
                host = *found;
            } else if (found && !isYes(options.first(QStringLiteral("canonicalizefallbacklocal"), QStringLiteral("yes")))) {
                const SshConfigValue *setting = options.value(QStringLiteral("canonicalizefallbacklocal"));
                return SshConfigReader::configError(
                    setting->where, QStringLiteral("could not resolve host \"%1\" in any of CanonicalDomains, "
                                                   "and CanonicalizeFallbackLocal is no").arg(host));
            }
        }
    }
    options.hostName = host;
    if (canonicalizing || options.wantFinalPass) {
        // The final pass: Host lines and `Match host` now see the resolved name, and
        // HostName is settled.
        options.values.insert(QStringLiteral("hostname"), {{host}, QStringLiteral("canonicalisation")});
        const SshConfigEvaluator final(m_local, host, true);
        final.apply(m_lines, options);
        final.apply(m_systemLines, options);
    }
    return options;
}

Result<SshHost> SshConfig::hostFrom(const SshResolvedOptions &options) const
{
    SshHost host;
    host.alias = options.originalHost;
    host.hostName = options.hostName;
    host.user = options.first(QStringLiteral("user"));
    host.port = options.first(QStringLiteral("port"), QStringLiteral("22")).toInt();  // range checked when read
    const QString timeout = options.first(QStringLiteral("connecttimeout"), QStringLiteral("none"));
    host.connectTimeoutSeconds = timeout == QLatin1String("none") ? kDefaultConnectTimeoutSeconds : timeout.toInt();
    if (const SshConfigValue *interval = options.value(QStringLiteral("serveraliveinterval")))
        host.serverAliveIntervalSeconds = interval->arguments.first().toInt();
    host.serverAliveCountMax = options.first(QStringLiteral("serveralivecountmax"), QStringLiteral("3")).toInt();
    host.connectionAttempts = options.first(QStringLiteral("connectionattempts"), QStringLiteral("1")).toInt();
    host.identitiesOnly = isYes(options.first(QStringLiteral("identitiesonly"), QStringLiteral("no")));
    host.ciphers = options.first(QStringLiteral("ciphers"));
    host.hostKeyAlias = options.first(QStringLiteral("hostkeyalias"));
    host.checkHostIp = isYes(options.first(QStringLiteral("checkhostip"), QStringLiteral("no")));
    host.pubkeyAuthentication = options.first(QStringLiteral("pubkeyauthentication"), QStringLiteral("yes")).toLower()
        != QLatin1String("no") && options.first(QStringLiteral("pubkeyauthentication")).toLower() != QLatin1String("false");
    host.passwordAuthentication = isYes(options.first(QStringLiteral("passwordauthentication"), QStringLiteral("yes")));
    host.kbdInteractiveAuthentication =
        isYes(options.first(QStringLiteral("kbdinteractiveauthentication"), QStringLiteral("yes")));
    const QString strict = options.first(QStringLiteral("stricthostkeychecking"), QStringLiteral("ask")).toLower();
    host.strictHostKeyChecking = isYes(strict) ? QStringLiteral("yes")
        : (strict == QLatin1String("no") || strict == QLatin1String("false") || strict == QLatin1String("off"))
        ? QStringLiteral("no") : strict;
    const QString preferred = options.first(QStringLiteral("preferredauthentications"));
    host.preferredAuthentications = preferred.split(QLatin1Char(','), Qt::SkipEmptyParts);

    // The tokens of ssh.c's DEFAULT_CLIENT_PERCENT_EXPAND_ARGS, for file names and the agent.
    const QString user = host.user.isEmpty() ? m_local.user : host.user;
    QString jumpHost;
    const QString jump = options.first(QStringLiteral("proxyjump"), QStringLiteral("none"));
    if (jump != QLatin1String("none")) {
        Result<SshDestination> last = SshDestination::parse(jump.section(QLatin1Char(','), -1), QString());
        if (last)
            jumpHost = last->host;
    }
    const QHash<QChar, QString> tokens{
        {QLatin1Char('C'), SshTokens::connectionHash(m_local.hostName, host.hostName, host.port, user, jumpHost)},
        {QLatin1Char('L'), m_local.hostName.section(QLatin1Char('.'), 0, 0)},
        {QLatin1Char('d'), m_local.homeDir},
        {QLatin1Char('h'), host.hostName},
        {QLatin1Char('i'), m_local.uid},
        {QLatin1Char('j'), jumpHost},
        // OpenSSH 9.2 gives %k the name as typed when there is no HostKeyAlias.
        {QLatin1Char('k'), host.hostKeyAlias.isEmpty() ? options.originalHost : host.hostKeyAlias},
        {QLatin1Char('l'), m_local.hostName},
        {QLatin1Char('n'), options.originalHost},
        {QLatin1Char('p'), QString::number(host.port)},
        {QLatin1Char('r'), user},
        {QLatin1Char('u'), m_local.user},
    };
    auto expandPath = [&](const QString &path, const QString &where, bool environment) {
        return SshTokens::expand(expandTilde(path), tokens, environment, where);
    };
    for (const SshConfigValue &identity : options.identityFiles) {
        Result<QString> path = expandPath(identity.arguments.first(), identity.where, true);
        if (!path)
            return path.error();
        if (!host.identityFiles.contains(path.value()))
            host.identityFiles.append(path.value());
    }
    for (const SshConfigValue &certificate : options.certificateFiles) {
        Result<QString> path = expandPath(certificate.arguments.first(), certificate.where, true);
        if (!path)
            return path.error();
        host.certificateFiles.append(path.value());
    }
    const SshConfigValue *userFiles = options.value(QStringLiteral("userknownhostsfile"));
    if (userFiles && userFiles->arguments.first().compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) {
        host.userKnownHostsFiles = {QStringLiteral("/dev/null")};
        host.knownHostsFile = host.userKnownHostsFiles.first();
    } else {
        const QStringList files = userFiles ? userFiles->arguments
                                            : QStringList{QStringLiteral("~/.ssh/known_hosts"), QStringLiteral("~/.ssh/known_hosts2")};
        for (const QString &file : files) {
            Result<QString> path = expandPath(file, userFiles ? userFiles->where : QString(), true);
            if (!path)
                return path.error();
            host.userKnownHostsFiles.append(path.value());
        }
        // ssh writes new keys into the first file.
        if (userFiles)
            host.knownHostsFile = host.userKnownHostsFiles.first();
    }
    const SshConfigValue *globalFiles = options.value(QStringLiteral("globalknownhostsfile"));
    const QStringList global = globalFiles ? globalFiles->arguments
                                           : QStringList{QStringLiteral("/etc/ssh/ssh_known_hosts"), QStringLiteral("/etc/ssh/ssh_known_hosts2")};
    if (!(global.size() == 1 && global.first().compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)) {
        for (const QString &file : global)
            host.globalKnownHostsFiles.append(expandTilde(file));
    }
    if (const SshConfigValue *agent = options.value(QStringLiteral("identityagent"))) {
        Result<QString> path = expandPath(agent->arguments.first(), agent->where, true);
        if (!path)
            return path.error();
        host.identityAgent = path.value();
    }
    if (const SshConfigValue *command = options.value(QStringLiteral("proxycommand"))) {
        if (command->arguments.first().compare(QLatin1String("none"), Qt::CaseInsensitive) != 0) {
            // sshconnect.c's expand_proxy_command(): %h, %n, %p and %r only.
            Result<QString> expanded = SshTokens::expand(
                command->arguments.first(),
                {{QLatin1Char('h'), host.hostName}, {QLatin1Char('n'), options.originalHost},
                 {QLatin1Char('p'), QString::number(host.port)}, {QLatin1Char('r'), user}},
                false, command->where);
            if (!expanded)
                return expanded.error();
            host.proxyCommand = expanded.value();
        }
    }
    return host;
}

Result<QStringList> SshConfig::dump(const QString &hostSpec, const QStringList &extraJumps) const
{
    Result<SshDestination> destination = SshDestination::parse(hostSpec, QString());
    if (!destination)
        return destination.error();
    QStringList chain;
    for (const QString &jump : extraJumps)
        chain += jump.split(QLatin1Char(','), Qt::SkipEmptyParts);
    Result<SshResolvedOptions> options = resolveOptions(destination.value(), chain);
    if (!options)
        return options.error();
    Result<SshHost> host = hostFrom(options.value());
    if (!host)
        return host.error();
    QStringList lines = SshConfigDump::lines(options.value(), host.value(), m_local.user);
    for (const QString &ignored : options->ignored)
        lines.append(QStringLiteral("# ignored %1").arg(ignored));
    return lines;
}

QStringList SshConfig::ignoredKeywordsFor(const QString &hostSpec) const
{
    Result<SshDestination> destination = SshDestination::parse(hostSpec, QString());
    if (!destination)
        return {};
    Result<SshResolvedOptions> options = resolveOptions(destination.value(), {});
    if (!options)
        return {};
    // The system file's keywords are the administrator's, not the user's: left out.
    QSet<QString> systemFiles;
    const std::function<void(const QList<SshConfigLine> &)> collect = [&](const QList<SshConfigLine> &lines) {
        for (const SshConfigLine &line : lines) {
            systemFiles.insert(line.file);
            collect(line.included);
        }
    };
    collect(m_systemLines);
    QStringList ignored;
    QSet<QString> seen;
    for (const QString &entry : options->ignored) {
        const QString keyword = entry.section(QLatin1Char(' '), 0, 0);
        const QString file = entry.section(QLatin1Char('('), 1).chopped(1).section(QLatin1Char(':'), 0, -2);
        if (!seen.contains(keyword) && !systemFiles.contains(file)) {
            seen.insert(keyword);
            ignored.append(entry);
        }
    }
    return ignored;
}

QStringList SshConfig::ignoredKeywords() const
{
    QStringList ignored;
    QSet<QString> seen;
    const std::function<void(const QList<SshConfigLine> &)> collect = [&](const QList<SshConfigLine> &lines) {
        for (const SshConfigLine &line : lines) {
            if (line.keyword == QLatin1String("include"))
                collect(line.included);
            else if (!SshConfigDump::isHonoured(line.keyword) && !seen.contains(line.keyword)) {
                seen.insert(line.keyword);
                ignored.append(QStringLiteral("%1 (%2)").arg(line.keyword, line.where()));
            }
        }
    };
    collect(m_lines);
    return ignored;
}

QStringList SshConfig::hostAliases() const
{
    QStringList aliases;
    // Depth first, so the names of an included file come where its Include line stands.
    const std::function<void(const QList<SshConfigLine> &)> collect = [&](const QList<SshConfigLine> &lines) {
        for (const SshConfigLine &line : lines) {
            if (line.keyword == QLatin1String("include")) {
                collect(line.included);
                continue;
            }
            if (line.keyword != QLatin1String("host"))
                continue;
            for (const QString &pattern : line.arguments) {
                const bool concrete = !pattern.startsWith(QLatin1Char('!'))
                    && !pattern.contains(QLatin1Char('*')) && !pattern.contains(QLatin1Char('?'));
                if (concrete && !aliases.contains(pattern))
                    aliases.append(pattern);
            }
        }
    };
    collect(m_lines);
    return aliases;
}

Result<SshHost> SshConfig::resolveHost(const QString &hostSpec) const
{
    Result<SshDestination> destination = SshDestination::parse(hostSpec, QString());
    if (!destination)
        return destination.error();
    Result<SshResolvedOptions> options = resolveOptions(destination.value(), {});
    if (!options)
        return options.error();
    return hostFrom(options.value());
}

Result<SshRoute> SshConfig::resolve(const QString &hostSpec, const QStringList &extraJumps) const
{
    Result<SshDestination> destination = SshDestination::parse(hostSpec, QString());
    if (!destination)
        return destination.error();
    QStringList chain;
    for (const QString &jump : extraJumps)
        chain += jump.split(QLatin1Char(','), Qt::SkipEmptyParts);
    // `-J none` passes through as a chain of "none": it switches ProxyJump off, as in ssh.
    QList<Visit> visiting;
    return resolveRoute(destination.value(), chain, QStringLiteral("-J"), visiting);
}

Result<SshRoute> SshConfig::resolveRoute(const SshDestination &destination,
                                         const QStringList &jumpOverride,
                                         const QString &jumpOverrideWhere,
                                         QList<Visit> &visiting) const
{
    // ssh reaches a jump host by running itself (`ssh -W`) for that host, so each hop gets
    // its own lookup, and its own ProxyJump unless the chain in front of it overrides it.
    const QString key = QStringLiteral("%1@%2:%3|%4")
                            .arg(destination.user, destination.host)
                            .arg(destination.port)
                            .arg(jumpOverride.join(QLatin1Char(',')));
    const bool seen = std::any_of(visiting.cbegin(), visiting.cend(),
                                  [&key](const Visit &visit) { return visit.key == key; });
    if (seen || visiting.size() > kMaxJumps) {
        QStringList names;
        for (const Visit &visit : visiting)
            names.append(visit.name);
        names.append(destination.host);
        return makeError(ErrorCode::ConfigError,
                         QStringLiteral("%1: ProxyJump loop: %2")
                             .arg(jumpOverrideWhere, names.join(QLatin1String(" -> "))));
    }
    visiting.append({key, destination.host});

    Result<SshResolvedOptions> options = resolveOptions(destination, jumpOverride);
    if (!options)
        return options.error();
    Result<SshHost> host = hostFrom(options.value());
    if (!host)
        return host.error();

    SshRoute route;
    route.target = host.value();
    QStringList chain = jumpOverride;
    QString where = jumpOverrideWhere;
    if (chain.isEmpty()) {
        // ProxyJump and ProxyCommand exclude each other (the evaluator kept the first); a
        // ProxyCommand makes this hop the first of the route.
        if (const SshConfigValue *jump = options->value(QStringLiteral("proxyjump"))) {
            where = jump->where;
            chain = jump->arguments.join(QLatin1Char(',')).split(QLatin1Char(','),
                                                                  Qt::SkipEmptyParts);
        }
    }
    if (!chain.isEmpty() && chain != QStringList{QStringLiteral("none")}) {
        // `-J a,b,c`: c is the last hop before the target, reached through `-J a,b`.
        Result<SshDestination> parsed = SshDestination::parse(chain.last(), where);
        if (!parsed)
            return parsed.error();
        Result<SshRoute> jumpRoute = resolveRoute(parsed.value(), chain.mid(0, chain.size() - 1),
                                                  where, visiting);
        if (!jumpRoute)
            return jumpRoute.error();
        route.jumps = jumpRoute->hops();
    }
    visiting.removeLast();
    return route;
}

} // namespace rdt
