// Evaluates ssh_config lines (read by SshConfigReader) for one destination at a time,
// following readconf.c's rules, and resolves ProxyJump chains hop by hop.
#include "SshConfig.h"

#include "SshConfigReader.h"
#include "SshDestination.h"
#include "SshHostPatterns.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSysInfo>

#include <algorithm>
#include <functional>

#include <pwd.h>
#include <unistd.h>

namespace rdt {

namespace {

// A ProxyJump chain longer than this is a loop that the visiting list did not catch (for
// instance the same host reached under ever different user names); ssh itself would fork
// without end.
constexpr int kMaxJumps = 32;

// The password database first, as ssh does for %u and the default User; $USER may lie
// after su or in containers.
QString localUserName()
{
    if (const passwd *entry = getpwuid(getuid()))
        return QString::fromLocal8Bit(entry->pw_name);
    return qEnvironmentVariable("USER");
}

} // namespace

struct SshConfig::Lookup {
    struct Value {
        QStringList arguments;
        QString where;
        int order = 0;  // position in the walk, to tell which of two keywords came first
    };
    int nextOrder = 0;
    QHash<QString, Value> values;  // first obtained value per keyword
    QList<Value> identityFiles;    // every IdentityFile, in order
};

SshConfig::SshConfig(const QString &homeDir)
    : m_homeDir(homeDir.isEmpty() ? QDir::homePath() : homeDir)
    , m_localUser(localUserName())
    , m_localHostName(QSysInfo::machineHostName())
{
}

Result<SshConfig> SshConfig::load(const QString &path, const QString &homeDir)
{
    SshConfig config(homeDir);
    QString file = path;
    if (file.isEmpty()) {
        file = config.m_homeDir + QStringLiteral("/.ssh/config");
        config.m_fileName = file;
        if (!QFileInfo::exists(file))
            return config;  // ssh, too, runs without a user config
    } else {
        file = config.expandTilde(file);
        config.m_fileName = file;
    }
    SshConfigReader reader(config.m_homeDir);
    Result<QList<SshConfigLine>> lines = reader.readFile(file);
    if (!lines)
        return lines.error();
    config.m_lines = std::move(lines).value();
    config.m_warnings = reader.warnings();
    return config;
}

Result<SshConfig> SshConfig::parse(const QByteArray &text, const QString &fileName,
                                   const QString &homeDir)
{
    SshConfig config(homeDir);
    config.m_fileName = fileName;
    SshConfigReader reader(config.m_homeDir);
    Result<QList<SshConfigLine>> lines = reader.parseText(text, fileName);
    if (!lines)
        return lines.error();
    config.m_lines = std::move(lines).value();
    config.m_warnings = reader.warnings();
    return config;
}

QString SshConfig::expandTilde(const QString &path) const
{
    return SshConfigReader::expandTilde(path, m_homeDir);
}

bool SshConfig::matchBlock(const SshConfigLine &line, const SshDestination &destination,
                           const Lookup &lookup) const
{
    if (line.keyword == QLatin1String("host"))
        return SshHostPatterns::matches(destination.host, line.arguments);
    const QString original = destination.host.toLower();

    // Match: every criterion must hold.
    for (qsizetype i = 0; i < line.arguments.size(); ++i) {
        QString criterion = line.arguments[i].toLower();
        const bool negated = criterion.startsWith(QLatin1Char('!'));
        if (negated)
            criterion.remove(0, 1);
        if (criterion == QLatin1String("all"))
            continue;
        if (SshHostPatterns::isUnsupportedCriterion(criterion))
            return false;
        const QString argument = i + 1 < line.arguments.size() ? line.arguments[++i] : QString();
        bool result = false;
        if (criterion == QLatin1String("host")) {
            // `Match host` sees the HostName obtained so far, unlike `Host`.
            const auto hostName = lookup.values.constFind(QStringLiteral("hostname"));
            QString current = original;
            if (hostName != lookup.values.constEnd())
                current = hostName->arguments.first();
            current.replace(QLatin1String("%h"), original);
            result = SshHostPatterns::matchesList(current.toLower(), argument);
        } else if (criterion == QLatin1String("originalhost")) {
            result = SshHostPatterns::matchesList(original, argument);
        } else if (criterion == QLatin1String("user")) {
            QString user = destination.user;
            if (user.isEmpty() && lookup.values.contains(QStringLiteral("user")))
                user = lookup.values.value(QStringLiteral("user")).arguments.first();
            if (user.isEmpty())
                user = m_localUser;
            result = SshHostPatterns::matchesList(user, argument);
        } else if (criterion == QLatin1String("localuser")) {
            result = SshHostPatterns::matchesList(m_localUser, argument);
        }
        if (result == negated)
            return false;
    }
    return true;
}

void SshConfig::applyLines(const QList<SshConfigLine> &lines, bool enclosingActive,
                           const SshDestination &destination, Lookup &lookup) const
{
    // Within one file a Host or Match line opens a block; an included file starts active
    // when the block around its Include is, and its own Host lines end at its last line.
    bool active = enclosingActive;
    for (const SshConfigLine &line : lines) {
        if (line.keyword == QLatin1String("host") || line.keyword == QLatin1String("match")) {
            active = enclosingActive && matchBlock(line, destination, lookup);
            continue;
        }
        if (!active)
            continue;
        const QString where = line.where();
        if (line.keyword == QLatin1String("include"))
            applyLines(line.included, true, destination, lookup);
        else if (line.keyword == QLatin1String("identityfile"))
            lookup.identityFiles.append({line.arguments, where, lookup.nextOrder++});
        else if (!lookup.values.contains(line.keyword))
            lookup.values.insert(line.keyword, {line.arguments, where, lookup.nextOrder++});
    }
}

Result<QString> SshConfig::expandTokens(const QString &value, const QString &allowed,
                                        const SshDestination &destination, const SshHost &host,
                                        const QString &where) const
{
    QString out;
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value[i] != QLatin1Char('%')) {
            out += value[i];
            continue;
        }
        if (i + 1 >= value.size())
            return SshConfigReader::configError(where, QStringLiteral("'%1' ends with a lone %").arg(value));
        const QChar token = value[++i];
        if (!allowed.contains(token))
            return SshConfigReader::configError(where, QStringLiteral("%%1 is not a token ssh expands in '%2'")
                                          .arg(token)
                                          .arg(value));
        switch (token.toLatin1()) {
        case '%': out += QLatin1Char('%'); break;
        case 'h': out += host.hostName; break;
        case 'n': out += destination.host; break;
        case 'p': out += QString::number(host.port); break;
        case 'r': out += host.user.isEmpty() ? m_localUser : host.user; break;
        case 'u': out += m_localUser; break;
        case 'd': out += m_homeDir; break;
        case 'i': out += QString::number(getuid()); break;
        case 'l': out += m_localHostName; break;
        case 'L': out += m_localHostName.section(QLatin1Char('.'), 0, 0); break;
        default: Q_UNREACHABLE();
        }
    }
    return out;
}

Result<SshHost> SshConfig::lookUp(const SshDestination &destination, Lookup &lookup) const
{
    applyLines(m_lines, true, destination, lookup);
    auto value = [&](const char *keyword) -> const Lookup::Value * {
        const auto it = lookup.values.constFind(QLatin1String(keyword));
        return it == lookup.values.constEnd() ? nullptr : &*it;
    };

    SshHost host;
    host.alias = destination.host;
    host.hostName = destination.host;
    if (const Lookup::Value *hostName = value("hostname")) {
        SshHost original = host;
        Result<QString> expanded = expandTokens(hostName->arguments.first(), QStringLiteral("%h"),
                                                destination, original, hostName->where);
        if (!expanded)
            return expanded.error();
        host.hostName = expanded.value();
    }
    // ssh lowercases the name it connects to; known_hosts entries are lower case too.
    host.hostName = host.hostName.toLower();
    host.user = destination.user;
    if (host.user.isEmpty()) {
        if (const Lookup::Value *user = value("user"))
            host.user = user->arguments.first();
    }
    if (destination.port != 0)
        host.port = destination.port;
    else if (const Lookup::Value *port = value("port"))
        host.port = port->arguments.first().toInt();  // range checked when parsed
    if (const Lookup::Value *timeout = value("connecttimeout")) {
        if (timeout->arguments.first() != QLatin1String("none"))
            host.connectTimeoutSeconds = timeout->arguments.first().toInt();
    }
    if (const Lookup::Value *interval = value("serveraliveinterval"))
        host.serverAliveIntervalSeconds = interval->arguments.first().toInt();
    if (const Lookup::Value *countMax = value("serveralivecountmax"))
        host.serverAliveCountMax = countMax->arguments.first().toInt();
    if (const Lookup::Value *only = value("identitiesonly"))
        host.identitiesOnly = only->arguments.first().compare(QLatin1String("yes"), Qt::CaseInsensitive) == 0;
    if (const Lookup::Value *ciphers = value("ciphers"))
        host.ciphers = ciphers->arguments.first();

    // The tokens ssh_config(5) allows in IdentityFile and UserKnownHostsFile that make sense
    // without a connection (no %C, %k, %j, %T).
    const QString fileTokens = QStringLiteral("%dhilLnpru");
    for (const Lookup::Value &identity : lookup.identityFiles) {
        Result<QString> path = expandTokens(expandTilde(identity.arguments.first()), fileTokens,
                                            destination, host, identity.where);
        if (!path)
            return path.error();
        if (!host.identityFiles.contains(path.value()))
            host.identityFiles.append(path.value());
    }
    if (const Lookup::Value *knownHosts = value("userknownhostsfile")) {
        // ssh reads several files; we use the first, the one it also writes new keys to.
        const QString first = knownHosts->arguments.first();
        if (first == QLatin1String("none")) {
            host.knownHostsFile = QStringLiteral("/dev/null");
        } else {
            Result<QString> path = expandTokens(expandTilde(first), fileTokens, destination, host,
                                                knownHosts->where);
            if (!path)
                return path.error();
            host.knownHostsFile = path.value();
        }
    }
    return host;
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
    Lookup lookup;
    return lookUp(destination.value(), lookup);
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

    Lookup lookup;
    Result<SshHost> host = lookUp(destination, lookup);
    if (!host)
        return host.error();

    SshRoute route;
    route.target = host.value();
    QStringList chain = jumpOverride;
    QString where = jumpOverrideWhere;
    if (chain.isEmpty()) {
        // ProxyJump and ProxyCommand exclude each other; the first one obtained wins.
        const auto jump = lookup.values.constFind(QStringLiteral("proxyjump"));
        const auto command = lookup.values.constFind(QStringLiteral("proxycommand"));
        const bool hasJump = jump != lookup.values.constEnd();
        const bool hasCommand = command != lookup.values.constEnd()
            && command->arguments.first() != QLatin1String("none");
        if (hasCommand && (!hasJump || command->order < jump->order)) {
            return SshConfigReader::configError(command->where,
                               QStringLiteral("ProxyCommand for %1 is not supported; use "
                                              "ProxyJump").arg(destination.host));
        }
        if (hasJump) {
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
