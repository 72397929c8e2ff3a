// Host and Match blocks, first-value-wins and the Match criteria, after OpenSSH's
// readconf.c (checked against `ssh -G` by tests/remote/unit_ssh_config_corpus).
#include "SshConfigEvaluator.h"

#include "SshConfigDump.h"
#include "SshDestination.h"
#include "SshHostPatterns.h"

#include <QProcess>

namespace rdt {

namespace {

// Keywords that may be given several times, every value kept (readconf.c's
// add_identity_file() and add_certificate_file(), which drop duplicates).
bool accumulates(const QString &keyword)
{
    return keyword == QLatin1String("identityfile") || keyword == QLatin1String("certificatefile");
}

} // namespace

void SshConfigEvaluator::apply(const QList<SshConfigLine> &lines, SshResolvedOptions &options) const
{
    applyLines(lines, true, options);
}

void SshConfigEvaluator::applyLines(const QList<SshConfigLine> &lines, bool enclosingActive,
                                    SshResolvedOptions &options) const
{
    // A Host or Match line opens a block; an included file starts active when the block
    // around its Include is, and its own blocks end with it (ssh restores the state).
    bool active = enclosingActive;
    for (const SshConfigLine &line : lines) {
        if (line.keyword == QLatin1String("host")) {
            active = enclosingActive && SshHostPatterns::matches(m_host, line.arguments);
            continue;
        }
        if (line.keyword == QLatin1String("match")) {
            // Criteria are evaluated only where the enclosing block applies, as ssh parses an
            // inactive Include without matching (and without running `Match exec`).
            active = enclosingActive && matchLine(line, options);
            continue;
        }
        if (!active)
            continue;
        if (line.keyword == QLatin1String("include"))
            applyLines(line.included, true, options);
        else
            take(line, options);
    }
}

void SshConfigEvaluator::take(const SshConfigLine &line, SshResolvedOptions &options) const
{
    const QString &keyword = line.keyword;
    const SshConfigValue value{line.arguments, line.where()};
    if (!SshConfigDump::isHonoured(keyword)) {
        const QString note = QStringLiteral("%1 (%2)").arg(keyword, value.where);
        if (!options.ignored.contains(note))
            options.ignored.append(note);
    }
    if (accumulates(keyword)) {
        QList<SshConfigValue> &list = keyword == QLatin1String("identityfile") ? options.identityFiles
                                                                                 : options.certificateFiles;
        const bool seen = std::any_of(list.cbegin(), list.cend(), [&](const SshConfigValue &known) {
            return known.arguments.first() == value.arguments.first();
        });
        if (!seen)
            list.append(value);
        return;
    }
    // ProxyJump and ProxyCommand set the same thing in ssh: whichever comes first wins.
    if ((keyword == QLatin1String("proxyjump") && options.values.contains(QStringLiteral("proxycommand")))
        || (keyword == QLatin1String("proxycommand") && options.values.contains(QStringLiteral("proxyjump"))))
        return;
    if (!options.values.contains(keyword))
        options.values.insert(keyword, value);
}

QString SshConfigEvaluator::currentHost(const SshResolvedOptions &options) const
{
    if (m_finalPass)
        return options.hostName;
    const SshConfigValue *hostName = options.value(QStringLiteral("hostname"));
    if (!hostName)
        return options.originalHost;
    // HostName's %h is the only token it has; a bad one was reported when the value was taken.
    Result<QString> expanded = SshTokens::expand(hostName->arguments.first(), {{QLatin1Char('h'), options.originalHost}},
                                                 false, hostName->where);
    return expanded ? expanded.value() : options.originalHost;
}

bool SshConfigEvaluator::matchLine(const SshConfigLine &line, SshResolvedOptions &options) const
{
    bool result = true;
    for (qsizetype i = 0; i < line.arguments.size(); ++i) {
        QString criterion = line.arguments[i].toLower();
        const bool negated = criterion.startsWith(QLatin1Char('!'));
        if (negated)
            criterion.remove(0, 1);
        if (criterion == QLatin1String("all")) {
            if (negated)
                result = false;
            continue;
        }
        if (criterion == QLatin1String("final") || criterion == QLatin1String("canonical")) {
            // Both hold only in the final pass; a plain `Match final` asks for that pass.
            if (criterion == QLatin1String("final") && !negated)
                options.wantFinalPass = true;
            if (m_finalPass == negated)
                result = false;
            continue;
        }
        const QString argument = i + 1 < line.arguments.size() ? line.arguments[++i] : QString();
        if (SshHostPatterns::isUnsupportedCriterion(criterion)) {
            result = false;  // the reader has warned; the block is skipped
            continue;
        }
        bool matched = false;
        if (criterion == QLatin1String("host")) {
            // match_hostname(): case-insensitive on both sides.
            matched = SshHostPatterns::matchesList(currentHost(options).toLower(), argument.toLower());
        } else if (criterion == QLatin1String("originalhost")) {
            matched = SshHostPatterns::matchesList(options.originalHost.toLower(), argument.toLower());
        } else if (criterion == QLatin1String("user")) {
            matched = SshHostPatterns::matchesList(options.first(QStringLiteral("user"), m_local.user), argument);
        } else if (criterion == QLatin1String("localuser")) {
            matched = SshHostPatterns::matchesList(m_local.user, argument);
        } else if (criterion == QLatin1String("exec")) {
            // ssh skips the command once an earlier criterion has failed.
            if (!result)
                continue;
            matched = runExec(argument, line, options);
        }
        if (matched == negated)
            result = false;
    }
    return result;
}

bool SshConfigEvaluator::runExec(const QString &command, const SshConfigLine &line,
                                 const SshResolvedOptions &options) const
{
    const QString host = currentHost(options);
    const QString port = options.first(QStringLiteral("port"), QStringLiteral("22"));
    const QString user = options.first(QStringLiteral("user"), m_local.user);
    QString jumpHost;
    const QString jump = options.first(QStringLiteral("proxyjump"));
    if (!jump.isEmpty() && jump != QLatin1String("none")) {
        Result<SshDestination> last = SshDestination::parse(jump.section(QLatin1Char(','), -1), line.where());
        if (last)
            jumpHost = last->host;
    }
    const QHash<QChar, QString> tokens{
        {QLatin1Char('C'), SshTokens::connectionHash(m_local.hostName, host, port.toInt(), user, jumpHost)},
        {QLatin1Char('L'), m_local.hostName.section(QLatin1Char('.'), 0, 0)},
        {QLatin1Char('d'), m_local.homeDir},
        {QLatin1Char('h'), host},
        {QLatin1Char('k'), options.first(QStringLiteral("hostkeyalias"), host)},
        {QLatin1Char('l'), m_local.hostName},
        {QLatin1Char('n'), options.originalHost},
        {QLatin1Char('p'), port},
        {QLatin1Char('r'), user},
        {QLatin1Char('u'), m_local.user},
        {QLatin1Char('i'), m_local.uid},
        {QLatin1Char('j'), jumpHost},
    };
    Result<QString> expanded = SshTokens::expand(command, tokens, false, line.where());
    if (!expanded)
        return false;
    // execute_in_shell(): the user's shell, stdin and stdout on /dev/null.
    QString shell = qEnvironmentVariable("SHELL");
    if (shell.isEmpty())
        shell = QStringLiteral("/bin/sh");
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(shell, {QStringLiteral("-c"), expanded.value()});
    if (!process.waitForFinished(-1))
        return false;
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace rdt
