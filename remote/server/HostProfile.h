// One saved way to reach a GPU server and where its files live: the target, the jump hosts,
// overrides of ssh_config, the remote root and the local dataset and model. No secret is
// ever kept here; keys stay in their files and the agent.
#pragma once

#include "Result.h"
#include "SshHost.h"

#include <QString>
#include <QStringList>

namespace rdt {

class SshConfig;

struct HostProfile {
    QString name;                // unique among the saved profiles; what the list shows
    QString host;                // an ssh_config alias or `[user@]host[:port]`
    QStringList jumps;           // each `[user@]host[:port]` or an alias; empty: ProxyJump
    QString user;                // empty: from ssh_config, else the local user
    int port = 0;                // 0: from ssh_config, else 22
    QString identityFile;        // empty: the agent and ssh_config's IdentityFile
    QString remoteRoot = defaultRemoteRoot();
    QString localDatasetPath;
    QString localModelPath;
    QString libtorchFolder;      // on the server, for building the trainer; empty: found there

    // Where the trainer and its data live on the server unless the user says otherwise:
    // RDT's own checkout name, so a server set up by hand is found as it is.
    static QString defaultRemoteRoot() { return QStringLiteral("~/RoboticsDiffusionTransformer"); }

    // Name and host present, port 0-65535; the message names the profile and the field.
    [[nodiscard]] Result<void> validate() const;

    // The route, resolved as rdtctl resolves `rdtctl -J JUMPS HOST`: the jumps (when any)
    // replace ProxyJump, then the profile's user, port and identity win over the file for the
    // target. The identity is tried first on every hop, as `rdtctl -i` does, since one key
    // usually opens the whole cluster.
    [[nodiscard]] Result<SshRoute> toRoute(const SshConfig &config) const;

    bool operator==(const HostProfile &other) const;
    bool operator!=(const HostProfile &other) const { return !(*this == other); }
};

} // namespace rdt
