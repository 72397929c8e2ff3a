// Host and Match pattern matching after OpenSSH's match.c, checked against `ssh -G`.
#include "SshHostPatterns.h"

namespace rdt {

namespace {

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

} // namespace

bool SshHostPatterns::matches(const QString &text, const QStringList &patterns)
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

bool SshHostPatterns::matchesList(const QString &text, const QString &list)
{
    return matches(text, list.split(QLatin1Char(','), Qt::SkipEmptyParts));
}

const QStringList &SshHostPatterns::matchCriteria()
{
    static const QStringList criteria{
        QStringLiteral("all"),     QStringLiteral("canonical"), QStringLiteral("final"),
        QStringLiteral("exec"),    QStringLiteral("localnetwork"), QStringLiteral("host"),
        QStringLiteral("originalhost"), QStringLiteral("tagged"), QStringLiteral("user"),
        QStringLiteral("localuser"),
    };
    return criteria;
}

bool SshHostPatterns::isUnsupportedCriterion(const QString &criterion)
{
    return criterion == QLatin1String("localnetwork") || criterion == QLatin1String("tagged");
}

} // namespace rdt
