// Reads OpenSSH client configuration into keyword lines (Include expanded in place) and
// evaluates them for one destination at a time, following readconf.c's rules.
#include "SshConfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSysInfo>

#include <algorithm>
#include <functional>

#include <glob.h>
#include <pwd.h>
#include <unistd.h>

namespace rdt {

namespace {

// OpenSSH's READCONF_MAX_DEPTH: deeper nesting of Include is taken as a loop.
constexpr int kMaxIncludeDepth = 16;
// A ProxyJump chain longer than this is a loop that the visiting list did not catch (for
// instance the same host reached under ever different user names); ssh itself would fork
// without end.
constexpr int kMaxJumps = 32;

QString location(const QString &file, int lineNumber)
{
    return QStringLiteral("%1:%2").arg(file).arg(lineNumber);
}

Error configError(const QString &where, const QString &why)
{
    return makeError(ErrorCode::ConfigError, QStringLiteral("%1: %2").arg(where, why));
}

// ssh's wildcard match (match_pattern): `*` any run of characters, `?` one character,
// nothing else special, case-sensitive. Host lines see the name as typed, so `GPU01` does not
// match `Host gpu01` (OpenSSH 9.2 checked with `ssh -G`); Match lowercases before calling.
bool wildcardMatch(const QString &text, const QString &pattern)
{
    qsizetype t = 0, p = 0, starP = -1, starT = 0;
    while (t < text.size()) {
        if (p < pattern.size()
            && (pattern[p] == QLatin1Char('?')
                || pattern[p] == text[t])) {
            ++t;
            ++p;
        } else if (p < pattern.size() && pattern[p] == QLatin1Char('*')) {
            starP = p++;
            starT = t;
        } else if (starP >= 0) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == QLatin1Char('*'))
        ++p;
    return p == pattern.size();
}

// Host line semantics: some pattern matches and no negated pattern matches.
bool matchPatterns(const QString &text, const QStringList &patterns)
{
    bool matched = false;
    for (const QString &pattern : patterns) {
        if (pattern.startsWith(QLatin1Char('!'))) {
            if (wildcardMatch(text, pattern.mid(1)))
                return false;
        } else if (wildcardMatch(text, pattern)) {
            matched = true;
        }
    }
    return matched;
}

// Match's comma-separated pattern lists (match_pattern_list) follow the same rule.
bool matchPatternList(const QString &text, const QString &list)
{
    return matchPatterns(text, list.split(QLatin1Char(','), Qt::SkipEmptyParts));
}

// Splits the arguments of a line like OpenSSH's argv_split(): whitespace separates,
// double or single quotes group, a backslash escapes a quote, a backslash or a blank, and an
// unquoted word that starts with `#` ends the line.
Result<QStringList> splitArguments(const QString &text, const QString &where)
{
    QStringList arguments;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (true) {
        while (i < n && text[i].isSpace())
            ++i;
        if (i >= n)
            break;
        if (text[i] == QLatin1Char('#'))
            break;
        QString word;
        QChar quote;
        for (; i < n; ++i) {
            const QChar c = text[i];
            if (quote.isNull() && c.isSpace())
                break;
            if (c == QLatin1Char('\\') && i + 1 < n
                && (text[i + 1] == QLatin1Char('"') || text[i + 1] == QLatin1Char('\'')
                    || text[i + 1] == QLatin1Char('\\') || text[i + 1] == QLatin1Char(' '))) {
                word += text[++i];
            } else if (!quote.isNull() && c == quote) {
                quote = QChar();
            } else if (quote.isNull() && (c == QLatin1Char('"') || c == QLatin1Char('\''))) {
                quote = c;
            } else {
                word += c;
            }
        }
        if (!quote.isNull())
            return configError(where, QStringLiteral("unterminated quoted argument"));
        arguments.append(word);
    }
    return arguments;
}

Result<int> parseNumber(const QString &value, int minimum, int maximum, const QString &what,
                        const QString &where)
{
    bool ok = false;
    const int number = value.toInt(&ok);
    if (!ok || number < minimum || number > maximum)
        return configError(where, QStringLiteral("%1 '%2' is not a number from %3 to %4")
                                      .arg(what, value)
                                      .arg(minimum)
                                      .arg(maximum));
    return number;
}

// The password database first, as ssh does for %u and the default User; $USER may lie
// after su or in containers.
QString localUserName()
{
    if (const passwd *entry = getpwuid(getuid()))
        return QString::fromLocal8Bit(entry->pw_name);
    return qEnvironmentVariable("USER");
}

// Keywords whose values must be checked even in blocks that do not apply now: ssh rejects a
// bad Port anywhere in the file, so do we.
const QHash<QString, QString> &numericKeywords()
{
    static const QHash<QString, QString> keywords{
        {QStringLiteral("port"), QStringLiteral("Port")},
        {QStringLiteral("connecttimeout"), QStringLiteral("ConnectTimeout")},
        {QStringLiteral("serveraliveinterval"), QStringLiteral("ServerAliveInterval")},
        {QStringLiteral("serveralivecountmax"), QStringLiteral("ServerAliveCountMax")},
    };
    return keywords;
}

const QStringList &matchCriteria()
{
    static const QStringList criteria{
        QStringLiteral("all"),     QStringLiteral("canonical"), QStringLiteral("final"),
        QStringLiteral("exec"),    QStringLiteral("localnetwork"), QStringLiteral("host"),
        QStringLiteral("originalhost"), QStringLiteral("tagged"), QStringLiteral("user"),
        QStringLiteral("localuser"),
    };
    return criteria;
}

// Criteria we cannot evaluate without running commands or knowing the network: the block
// is skipped, as if it did not match, and a warning says so.
bool isUnsupportedCriterion(const QString &criterion)
{
    return criterion == QLatin1String("canonical") || criterion == QLatin1String("final")
        || criterion == QLatin1String("exec") || criterion == QLatin1String("localnetwork")
        || criterion == QLatin1String("tagged");
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
    Result<QList<Line>> lines = config.readFile(file, 0);
    if (!lines)
        return lines.error();
    config.m_lines = std::move(lines).value();
    return config;
}

Result<SshConfig> SshConfig::parse(const QByteArray &text, const QString &fileName,
                                   const QString &homeDir)
{
    SshConfig config(homeDir);
    config.m_fileName = fileName;
    Result<QList<Line>> lines = config.parseText(text, fileName, 0);
    if (!lines)
        return lines.error();
    config.m_lines = std::move(lines).value();
    return config;
}

Result<QList<SshConfig::Line>> SshConfig::readFile(const QString &path, int depth)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::ConfigError,
                         QStringLiteral("read ssh configuration %1: %2").arg(path, file.errorString()));
    return parseText(file.readAll(), path, depth);
}

Result<QList<SshConfig::Line>> SshConfig::parseText(const QByteArray &text, const QString &fileName,
                                                    int depth)
{
    QList<Line> lines;
    const QList<QByteArray> rawLines = text.split('\n');
    for (qsizetype index = 0; index < rawLines.size(); ++index) {
        const int lineNumber = int(index) + 1;
        const QString where = location(fileName, lineNumber);
        QString content = QString::fromUtf8(rawLines[index]);
        if (content.endsWith(QLatin1Char('\r')))
            content.chop(1);
        content = content.trimmed();
        if (content.isEmpty() || content.startsWith(QLatin1Char('#')))
            continue;

        // The keyword ends at a blank or at `=`; one `=` with blanks around it may follow.
        qsizetype end = 0;
        while (end < content.size() && !content[end].isSpace() && content[end] != QLatin1Char('='))
            ++end;
        Line line;
        line.file = fileName;
        line.lineNumber = lineNumber;
        line.keyword = content.left(end).toLower();
        qsizetype rest = end;
        while (rest < content.size() && content[rest].isSpace())
            ++rest;
        if (rest < content.size() && content[rest] == QLatin1Char('='))
            ++rest;
        Result<QStringList> arguments = splitArguments(content.mid(rest), where);
        if (!arguments)
            return arguments.error();
        line.arguments = std::move(arguments).value();
        if (line.keyword.isEmpty())
            return configError(where, QStringLiteral("line has a value but no keyword"));
        if (line.arguments.isEmpty())
            return configError(where, QStringLiteral("%1 has no value").arg(content.left(end)));

        Result<void> checked = checkValues(line);
        if (!checked)
            return checked.error();
        if (line.keyword == QLatin1String("include")) {
            Result<void> included = readIncluded(line, depth);
            if (!included)
                return included.error();
        }
        lines.append(std::move(line));
    }
    return lines;
}

Result<void> SshConfig::checkValues(const Line &line)
{
    const QString where = location(line.file, line.lineNumber);
    const QString &keyword = line.keyword;
    if (keyword == QLatin1String("match")) {
        for (qsizetype i = 0; i < line.arguments.size(); ++i) {
            QString criterion = line.arguments[i].toLower();
            if (criterion.startsWith(QLatin1Char('!')))
                criterion.remove(0, 1);
            if (!matchCriteria().contains(criterion))
                return configError(where, QStringLiteral("unknown Match criterion '%1'")
                                              .arg(line.arguments[i]));
            if (isUnsupportedCriterion(criterion))
                m_warnings.append(QStringLiteral("%1: Match %2 is not supported; the block is "
                                                 "skipped").arg(where, criterion));
            if (criterion == QLatin1String("all") || criterion == QLatin1String("canonical")
                || criterion == QLatin1String("final"))
                continue;
            if (i + 1 >= line.arguments.size())
                return configError(where, QStringLiteral("Match %1 has no argument").arg(criterion));
            ++i;
        }
    } else if (numericKeywords().contains(keyword)) {
        const QString &value = line.arguments.first();
        // ConnectTimeout none means the system's TCP timeout.
        if (keyword == QLatin1String("connecttimeout") && value == QLatin1String("none"))
            return {};
        const bool isPort = keyword == QLatin1String("port");
        Result<int> number = parseNumber(value, isPort ? 1 : 0, isPort ? 65535 : 24 * 3600,
                                         numericKeywords().value(keyword), where);
        if (!number)
            return number.error();
    } else if (keyword == QLatin1String("proxyjump")) {
        if (line.arguments.first() == QLatin1String("none"))
            return {};
        for (const QString &element : line.arguments.join(QLatin1Char(','))
                                          .split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            Result<Destination> destination = parseDestination(element, where);
            if (!destination)
                return makeError(ErrorCode::ConfigError, destination.error().message);
        }
    }
    return {};
}

Result<void> SshConfig::readIncluded(Line &line, int depth)
{
    const QString where = location(line.file, line.lineNumber);
    if (depth + 1 > kMaxIncludeDepth)
        return configError(where, QStringLiteral("Include nested more than %1 deep (does a file "
                                                 "include itself?)").arg(kMaxIncludeDepth));
    for (const QString &argument : line.arguments) {
        // Relative paths are relative to ~/.ssh, as for any user configuration.
        QString pattern = expandTilde(argument);
        if (!QDir::isAbsolutePath(pattern))
            pattern = m_homeDir + QStringLiteral("/.ssh/") + pattern;
        glob_t matches{};
        const int status = glob(QFile::encodeName(pattern).constData(), 0, nullptr, &matches);
        QStringList paths;
        if (status == 0) {
            for (size_t i = 0; i < matches.gl_pathc; ++i)
                paths.append(QFile::decodeName(matches.gl_pathv[i]));
        }
        globfree(&matches);
        // No match is fine, as in ssh: `Include config.d/*` with an empty folder.
        if (status != 0 && status != GLOB_NOMATCH)
            return configError(where, QStringLiteral("Include %1: cannot list the files").arg(argument));
        for (const QString &path : paths) {
            if (QFileInfo(path).isDir())
                continue;
            Result<QList<Line>> included = readFile(path, depth + 1);
            if (!included)
                return makeError(included.error().code,
                                 QStringLiteral("%1: %2").arg(where, included.error().message));
            line.included.append(included.value());
        }
    }
    return {};
}

QString SshConfig::expandTilde(const QString &path) const
{
    if (path == QLatin1String("~"))
        return m_homeDir;
    if (path.startsWith(QLatin1String("~/")))
        return m_homeDir + path.mid(1);
    return path;
}

Result<SshConfig::Destination> SshConfig::parseDestination(const QString &spec, const QString &where)
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
    Destination destination;
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

bool SshConfig::matchBlock(const Line &line, const Destination &destination,
                           const Lookup &lookup) const
{
    if (line.keyword == QLatin1String("host"))
        return matchPatterns(destination.host, line.arguments);
    const QString original = destination.host.toLower();

    // Match: every criterion must hold.
    for (qsizetype i = 0; i < line.arguments.size(); ++i) {
        QString criterion = line.arguments[i].toLower();
        const bool negated = criterion.startsWith(QLatin1Char('!'));
        if (negated)
            criterion.remove(0, 1);
        if (criterion == QLatin1String("all"))
            continue;
        if (isUnsupportedCriterion(criterion))
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
            result = matchPatternList(current.toLower(), argument);
        } else if (criterion == QLatin1String("originalhost")) {
            result = matchPatternList(original, argument);
        } else if (criterion == QLatin1String("user")) {
            QString user = destination.user;
            if (user.isEmpty() && lookup.values.contains(QStringLiteral("user")))
                user = lookup.values.value(QStringLiteral("user")).arguments.first();
            if (user.isEmpty())
                user = m_localUser;
            result = matchPatternList(user, argument);
        } else if (criterion == QLatin1String("localuser")) {
            result = matchPatternList(m_localUser, argument);
        }
        if (result == negated)
            return false;
    }
    return true;
}

void SshConfig::applyLines(const QList<Line> &lines, bool enclosingActive,
                           const Destination &destination, Lookup &lookup) const
{
    // Within one file a Host or Match line opens a block; an included file starts active
    // when the block around its Include is, and its own Host lines end at its last line.
    bool active = enclosingActive;
    for (const Line &line : lines) {
        if (line.keyword == QLatin1String("host") || line.keyword == QLatin1String("match")) {
            active = enclosingActive && matchBlock(line, destination, lookup);
            continue;
        }
        if (!active)
            continue;
        const QString where = location(line.file, line.lineNumber);
        if (line.keyword == QLatin1String("include"))
            applyLines(line.included, true, destination, lookup);
        else if (line.keyword == QLatin1String("identityfile"))
            lookup.identityFiles.append({line.arguments, where, lookup.nextOrder++});
        else if (!lookup.values.contains(line.keyword))
            lookup.values.insert(line.keyword, {line.arguments, where, lookup.nextOrder++});
    }
}

Result<QString> SshConfig::expandTokens(const QString &value, const QString &allowed,
                                        const Destination &destination, const SshHost &host,
                                        const QString &where) const
{
    QString out;
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value[i] != QLatin1Char('%')) {
            out += value[i];
            continue;
        }
        if (i + 1 >= value.size())
            return configError(where, QStringLiteral("'%1' ends with a lone %").arg(value));
        const QChar token = value[++i];
        if (!allowed.contains(token))
            return configError(where, QStringLiteral("%%1 is not a token ssh expands in '%2'")
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

Result<SshHost> SshConfig::lookUp(const Destination &destination, Lookup &lookup) const
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
    const std::function<void(const QList<Line> &)> collect = [&](const QList<Line> &lines) {
        for (const Line &line : lines) {
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
    Result<Destination> destination = parseDestination(hostSpec, QString());
    if (!destination)
        return destination.error();
    Lookup lookup;
    return lookUp(destination.value(), lookup);
}

Result<SshRoute> SshConfig::resolve(const QString &hostSpec, const QStringList &extraJumps) const
{
    Result<Destination> destination = parseDestination(hostSpec, QString());
    if (!destination)
        return destination.error();
    QStringList chain;
    for (const QString &jump : extraJumps)
        chain += jump.split(QLatin1Char(','), Qt::SkipEmptyParts);
    // `-J none` passes through as a chain of "none": it switches ProxyJump off, as in ssh.
    QList<Visit> visiting;
    return resolveRoute(destination.value(), chain, QStringLiteral("-J"), visiting);
}

Result<SshRoute> SshConfig::resolveRoute(const Destination &destination,
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
            return configError(command->where,
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
        Result<Destination> parsed = parseDestination(chain.last(), where);
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
