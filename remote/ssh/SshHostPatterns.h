// The patterns of ssh_config's Host and Match lines, matched the way OpenSSH's
// match_pattern() and match_pattern_list() do, and which Match criteria exist.
#pragma once

#include <QString>
#include <QStringList>

namespace rdt {

class SshHostPatterns {
public:
    // Host line semantics: some pattern matches and no negated (`!`) pattern matches.
    // `*` is any run of characters, `?` one character, case-sensitive.
    static bool matches(const QString &text, const QStringList &patterns);

    // Match's comma-separated pattern lists follow the same rule.
    static bool matchesList(const QString &text, const QString &list);

    // Every criterion a Match line may name, lower case.
    static const QStringList &matchCriteria();

    // Criteria we do not evaluate (the local network's addresses, tags): the block is
    // skipped, as if it did not match, and a warning says so.
    static bool isUnsupportedCriterion(const QString &criterion);
};

} // namespace rdt
