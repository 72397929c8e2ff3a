// Where and how to reach one SSH host, and the route of hops (jump hosts, then the target)
// that reaches the server. Filled from an ssh_config alias or a `[user@]host[:port]` spec.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace rdt {

struct SshHost {
    QString alias;               // what the user typed ("gpu01"); used in messages
    QString hostName;            // address or DNS name to connect to
    QString user;                // empty: the local user name
    int port = 22;
    QStringList identityFiles;   // tried in order after the agent; '~' already expanded
    QString knownHostsFile;      // empty: ~/.ssh/known_hosts
    // Every UserKnownHostsFile, tokens and '~' expanded (empty: the defaults; "none" gives
    // the single entry /dev/null); knownHostsFile is the first, where new keys are written.
    QStringList userKnownHostsFiles;
    QStringList globalKnownHostsFiles;   // GlobalKnownHostsFile, '~' expanded
    QString hostKeyAlias;        // HostKeyAlias: the name looked up in known_hosts
    QString proxyCommand;        // ProxyCommand with its tokens expanded; empty: none
    QString strictHostKeyChecking = QStringLiteral("ask");   // yes, accept-new, no, ask
    bool checkHostIp = false;    // CheckHostIP
    QStringList certificateFiles;        // CertificateFile, tokens and '~' expanded
    QString identityAgent;       // IdentityAgent expanded; empty: $SSH_AUTH_SOCK; "none": no agent
    QStringList preferredAuthentications;  // empty: the workbench's order
    bool pubkeyAuthentication = true;
    bool passwordAuthentication = true;
    bool kbdInteractiveAuthentication = true;
    int connectionAttempts = 1;  // ConnectionAttempts: tries of the first hop's TCP connect
    int connectTimeoutSeconds = 15;
    int serverAliveIntervalSeconds = 15;  // 0: no keepalives
    int serverAliveCountMax = 3;          // keepalives unanswered before the link is dead
    QString ciphers;             // OpenSSH "Ciphers" list; empty: SshConnection's preference
    bool identitiesOnly = false; // IdentitiesOnly: only identityFiles, not every agent key

    // "user@host:port" as shown to the user; the alias when it differs from the host name.
    QString displayName() const
    {
        QString name = alias.isEmpty() ? hostName : alias;
        if (!alias.isEmpty() && alias != hostName)
            name += QStringLiteral(" (%1)").arg(hostName);
        return name;
    }
};

// The hops in connection order: jumps.front() is reached directly, each later hop through
// the one before it, and target through jumps.back().
struct SshRoute {
    QList<SshHost> jumps;
    SshHost target;

    QList<SshHost> hops() const
    {
        QList<SshHost> all = jumps;
        all.append(target);
        return all;
    }
};

} // namespace rdt
