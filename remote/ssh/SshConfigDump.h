// The resolved options of one host in the format of `ssh -G HOST` (lower-case keyword,
// one value per line), for the keywords the workbench uses, so the two can be compared
// line by line; and which keywords the workbench acts on at all.
#pragma once

#include "SshHost.h"
#include "SshResolvedOptions.h"

#include <QStringList>

namespace rdt {

class SshConfigDump {
public:
    // `host` is the workbench's reading of `options` (user, port, expanded paths);
    // localUser stands in for an unset User, as in ssh.
    static QStringList lines(const SshResolvedOptions &options, const SshHost &host, const QString &localUser);

    // Keywords that change what the workbench does; any other keyword of a config is
    // accepted, listed by `rdtctl config` as ignored, and named once by the GUI.
    static bool isHonoured(const QString &keyword);
};

} // namespace rdt
