// Tokenises lines as OpenSSH's readconf.c does (keyword, `=` or blanks, argv_split quoting)
// and follows Include globs to a depth of READCONF_MAX_DEPTH.
#include "SshConfigReader.h"

#include "SshDestination.h"
#include "SshHostPatterns.h"
#include "SshTokens.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <glob.h>

namespace rdt {

namespace {

// OpenSSH's READCONF_MAX_DEPTH: deeper nesting of Include is taken as a loop.
constexpr int kMaxIncludeDepth = 16;

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
            return SshConfigReader::configError(where, QStringLiteral("unterminated quoted argument"));
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
        return SshConfigReader::configError(where, QStringLiteral("%1 '%2' is not a number from %3 to %4")
                                      .arg(what, value)
                                      .arg(minimum)
                                      .arg(maximum));
    return number;
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
        {QStringLiteral("connectionattempts"), QStringLiteral("ConnectionAttempts")},
        {QStringLiteral("canonicalizemaxdots"), QStringLiteral("CanonicalizeMaxDots")},
    };
    return keywords;
}

// The words each multistate keyword accepts (readconf.c's multistate tables), any case.
const QHash<QString, QStringList> &choiceKeywords()
{
    static const QStringList flag{QStringLiteral("yes"), QStringLiteral("no"), QStringLiteral("true"),
                                  QStringLiteral("false")};
    static const QHash<QString, QStringList> keywords{
        {QStringLiteral("identitiesonly"), flag},
        {QStringLiteral("checkhostip"), flag},
        {QStringLiteral("passwordauthentication"), flag},
        {QStringLiteral("kbdinteractiveauthentication"), flag},
        {QStringLiteral("canonicalizefallbacklocal"), flag},
        {QStringLiteral("pubkeyauthentication"), flag + QStringList{QStringLiteral("unbound"), QStringLiteral("host-bound")}},
        {QStringLiteral("canonicalizehostname"), flag + QStringList{QStringLiteral("always")}},
        {QStringLiteral("stricthostkeychecking"),
         flag + QStringList{QStringLiteral("ask"), QStringLiteral("off"), QStringLiteral("accept-new")}},
    };
    return keywords;
}


} // namespace

QString SshConfigLine::where() const
{
    return QStringLiteral("%1:%2").arg(file).arg(lineNumber);
}

Error SshConfigReader::configError(const QString &where, const QString &why)
{
    return makeError(ErrorCode::ConfigError, QStringLiteral("%1: %2").arg(where, why));
}

QString SshConfigReader::expandTilde(const QString &path, const QString &homeDir)
{
    if (path == QLatin1String("~"))
        return homeDir;
    if (path.startsWith(QLatin1String("~/")))
        return homeDir + path.mid(1);
    return path;
}

Result<QList<SshConfigLine>> SshConfigReader::readFile(const QString &path, int depth)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::ConfigError,
                         QStringLiteral("read ssh configuration %1: %2").arg(path, file.errorString()));
    return parseText(file.readAll(), path, depth);
}

Result<QList<SshConfigLine>> SshConfigReader::parseText(const QByteArray &text, const QString &fileName,
                                                    int depth)
{
    QList<SshConfigLine> lines;
    const QList<QByteArray> rawLines = text.split('\n');
    for (qsizetype index = 0; index < rawLines.size(); ++index) {
        const int lineNumber = int(index) + 1;
        const QString where = QStringLiteral("%1:%2").arg(fileName).arg(lineNumber);
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
        SshConfigLine line;
        line.file = fileName;
        line.lineNumber = lineNumber;
        line.keyword = content.left(end).toLower();
        qsizetype rest = end;
        while (rest < content.size() && content[rest].isSpace())
            ++rest;
        if (rest < content.size() && content[rest] == QLatin1Char('='))
            ++rest;
        if (line.keyword == QLatin1String("proxycommand")) {
            // ssh hands the rest of the line to the shell as written, quotes and all.
            while (rest < content.size() && (content[rest].isSpace() || content[rest] == QLatin1Char('=')))
                ++rest;
            if (rest < content.size())
                line.arguments = QStringList{content.mid(rest)};
        } else {
            Result<QStringList> arguments = splitArguments(content.mid(rest), where);
            if (!arguments)
                return arguments.error();
            line.arguments = std::move(arguments).value();
        }
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

Result<void> SshConfigReader::checkValues(const SshConfigLine &line)
{
    const QString where = line.where();
    const QString &keyword = line.keyword;
    if (keyword == QLatin1String("match")) {
        for (qsizetype i = 0; i < line.arguments.size(); ++i) {
            QString criterion = line.arguments[i].toLower();
            if (criterion.startsWith(QLatin1Char('!')))
                criterion.remove(0, 1);
            if (!SshHostPatterns::matchCriteria().contains(criterion))
                return configError(where, QStringLiteral("unknown Match criterion '%1'")
                                              .arg(line.arguments[i]));
            if (SshHostPatterns::isUnsupportedCriterion(criterion))
                m_warnings.append(QStringLiteral("%1: Match %2 is not supported; the block is "
                                                 "skipped").arg(where, criterion));
            if (criterion == QLatin1String("all") || criterion == QLatin1String("canonical")
                || criterion == QLatin1String("final"))
                continue;
            if (i + 1 >= line.arguments.size())
                return configError(where, QStringLiteral("Match %1 has no argument").arg(criterion));
            ++i;
            // ssh stops at a token it does not expand in a Match exec command.
            if (criterion == QLatin1String("exec")) {
                QHash<QChar, QString> tokens;
                for (QChar token : QStringLiteral("CLdhklnpruij"))
                    tokens.insert(token, QString());
                Result<QString> expanded = SshTokens::expand(line.arguments[i], tokens, false, where);
                if (!expanded)
                    return expanded.error();
            }
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
    } else if (choiceKeywords().contains(keyword)) {
        const QStringList &choices = choiceKeywords().value(keyword);
        if (!choices.contains(line.arguments.first().toLower()))
            return configError(where, QStringLiteral("%1 '%2' is not one of %3")
                                          .arg(keyword, line.arguments.first(), choices.join(QStringLiteral(", "))));
    } else if (keyword == QLatin1String("proxyjump")) {
        if (line.arguments.first() == QLatin1String("none"))
            return {};
        for (const QString &element : line.arguments.join(QLatin1Char(','))
                                          .split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            Result<SshDestination> destination = SshDestination::parse(element, where);
            if (!destination)
                return makeError(ErrorCode::ConfigError, destination.error().message);
        }
    }
    return {};
}

Result<void> SshConfigReader::readIncluded(SshConfigLine &line, int depth)
{
    const QString where = line.where();
    if (depth + 1 > kMaxIncludeDepth)
        return configError(where, QStringLiteral("Include nested more than %1 deep (does a file "
                                                 "include itself?)").arg(kMaxIncludeDepth));
    for (const QString &argument : line.arguments) {
        // Relative paths are relative to ~/.ssh in a user's file, to /etc/ssh in the system's.
        if (m_systemFile && argument.startsWith(QLatin1Char('~')))
            return configError(where, QStringLiteral("Include %1: a system configuration may not include "
                                                     "from a home folder").arg(argument));
        QString pattern = expandTilde(argument, m_homeDir);
        if (!QDir::isAbsolutePath(pattern))
            pattern = (m_systemFile ? m_systemDir : m_homeDir + QStringLiteral("/.ssh")) + QLatin1Char('/') + pattern;
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
            Result<QList<SshConfigLine>> included = readFile(path, depth + 1);
            if (!included)
                return makeError(included.error().code,
                                 QStringLiteral("%1: %2").arg(where, included.error().message));
            line.included.append(included.value());
        }
    }
    return {};
}

} // namespace rdt
