// The values ssh_config gave one destination, keyword by keyword, before the workbench
// turns them into an SshHost: what `rdtctl config` prints and what both passes build up.
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace rdt {

struct SshConfigValue {
    QStringList arguments;
    QString where;   // "file:line", or "command line"
};

struct SshResolvedOptions {
    QString originalHost;                  // as typed (%n, Match originalhost)
    QString hostName;                      // after HostName, lower case, canonicalised
    QHash<QString, SshConfigValue> values; // the first value of each keyword (lower case)
    QList<SshConfigValue> identityFiles;   // IdentityFile accumulates, duplicates dropped
    QList<SshConfigValue> certificateFiles;
    // Keywords obtained for this host that the workbench does not act on, "keyword (where)".
    QStringList ignored;
    bool wantFinalPass = false;            // a `Match final` was seen

    const SshConfigValue *value(const QString &keyword) const
    {
        const auto it = values.constFind(keyword);
        return it == values.constEnd() ? nullptr : &*it;
    }
    QString first(const QString &keyword, const QString &fallback = {}) const
    {
        const SshConfigValue *found = value(keyword);
        return found ? found->arguments.first() : fallback;
    }
};

} // namespace rdt
