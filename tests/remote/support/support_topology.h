// The throwaway SSH topology (tests/sshd/topology) as the sshd_* tests see it: hosts filled
// in as rdt::SshHost, the client keys and known_hosts files, and the control commands that
// stop, kill, cut or rekey a server while a test runs.
#pragma once

#include "SshHost.h"

#include <QString>

#include <optional>

class Topology {
public:
    // From RDT_TOPO_DIR and friends, set by `topology run`; nullopt outside a topology
    // (a test then fails with a hint, or skips).
    static std::optional<Topology> fromEnvironment();

    QString dir() const { return m_dir; }
    QString script() const { return m_script; }

    // Hosts as the product would resolve them: user root, the client key, the topology's
    // plain known_hosts. Aliases match the ssh_config ones ("jump", "jump2", "gpu",
    // "gpu2hop"), so error texts name them as a user would.
    rdt::SshHost jump() const;
    rdt::SshHost jump2() const;   // at the address jump reaches it on
    rdt::SshHost gpu() const;     // at the address only jump reaches
    rdt::SshHost gpu2() const;    // at the address only jump2 reaches
    rdt::SshRoute gpuRoute() const;   // jump -> gpu
    rdt::SshRoute gpu2Route() const;  // jump -> jump2 -> gpu2

    QString jumpAddress() const { return m_jumpAddress; }
    QString jump2Address() const { return m_jump2Address; }
    QString gpuAddress() const { return m_gpuAddress; }
    QString gpuAddress2() const { return m_gpuAddress2; }

    QString clientKey() const;               // authorized on every host, no passphrase
    QString passphraseKey() const;           // authorized, passphrase below
    static QString keyPassphrase() { return QStringLiteral("correct horse"); }
    QString wrongKey() const;                // a valid key that no host accepts
    QString knownHostsFile() const;          // plain "addr keytype key" lines
    QString hashedKnownHostsFile() const;    // the same, hashed (ssh-keygen -H)
    QString sshConfigFile() const;           // for OpenSSH: ssh -F <this> gpu
    QString gpuBinDir() const;               // first on the gpu host's PATH; empty at start
    QString gpuSmallDiskDir() const;         // on gpu (over ssh only): 8 MiB tmpfs, fills up; empty at each start
    QString gpuReadOnlyDir() const;          // on gpu (over ssh only): read-only mount holding existing.txt
    QString hostDir(const QString &host) const;     // keys, sshd_config, sshd.log of a server
    QString hostLogFile(const QString &host) const;  // that server's sshd log

    // Writes an executable `name` into gpuBinDir(), e.g. a fake nvidia-smi script.
    bool installGpuTool(const QString &name, const QByteArray &script, QString *error) const;

    // Runs `topology <verb> <host>`: stop (listener only), kill (every process of the
    // host, like a crash), start, cut / heal (silent dead link), rekey (new host keys),
    // pause / resume (every process of the host frozen, like a machine stalled by load).
    // On failure *error gets the script's message.
    bool control(const QString &verb, const QString &host, QString *error) const;

private:
    rdt::SshHost makeHost(const QString &alias, const QString &address) const;

    QString m_dir;
    QString m_script;
    QString m_jumpAddress;
    QString m_jump2Address;
    QString m_gpuAddress;
    QString m_gpuAddress2;
};
