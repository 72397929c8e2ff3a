// Topology: reads the environment that tests/sshd/topology gives a test and runs its
// control subcommands. Qt Core only, since every remote/ test links this file.
#include "support_topology.h"

#include <QFile>
#include <QFileDevice>
#include <QProcess>
#include <QProcessEnvironment>

std::optional<Topology> Topology::fromEnvironment()
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    Topology topology;
    topology.m_dir = env.value(QStringLiteral("RDT_TOPO_DIR"));
    topology.m_script = env.value(QStringLiteral("RDT_TOPO_SCRIPT"));
    topology.m_jumpAddress = env.value(QStringLiteral("RDT_JUMP_ADDR"));
    topology.m_jump2Address = env.value(QStringLiteral("RDT_JUMP2_ADDR"));
    topology.m_gpuAddress = env.value(QStringLiteral("RDT_GPU_ADDR"));
    topology.m_gpuAddress2 = env.value(QStringLiteral("RDT_GPU_ADDR2"));
#ifdef RDT_TOPOLOGY_SCRIPT
    if (topology.m_script.isEmpty())
        topology.m_script = QStringLiteral(RDT_TOPOLOGY_SCRIPT);
#endif
    if (topology.m_dir.isEmpty() || topology.m_jumpAddress.isEmpty() || topology.m_jump2Address.isEmpty()
        || topology.m_gpuAddress.isEmpty() || topology.m_gpuAddress2.isEmpty())
        return std::nullopt;
    return topology;
}

rdt::SshHost Topology::makeHost(const QString &alias, const QString &address) const
{
    rdt::SshHost host;
    host.alias = alias;
    host.hostName = address;
    host.user = QStringLiteral("root");
    host.port = 22;
    host.identityFiles = {clientKey()};
    host.knownHostsFile = knownHostsFile();
    return host;
}

rdt::SshHost Topology::jump() const { return makeHost(QStringLiteral("jump"), m_jumpAddress); }
rdt::SshHost Topology::jump2() const { return makeHost(QStringLiteral("jump2"), m_jump2Address); }
rdt::SshHost Topology::gpu() const { return makeHost(QStringLiteral("gpu"), m_gpuAddress); }
rdt::SshHost Topology::gpu2() const { return makeHost(QStringLiteral("gpu2hop"), m_gpuAddress2); }

rdt::SshRoute Topology::gpuRoute() const
{
    rdt::SshRoute route;
    route.jumps = {jump()};
    route.target = gpu();
    return route;
}

rdt::SshRoute Topology::gpu2Route() const
{
    rdt::SshRoute route;
    route.jumps = {jump(), jump2()};
    route.target = gpu2();
    return route;
}

QString Topology::clientKey() const { return m_dir + QStringLiteral("/client/id_ed25519"); }
QString Topology::passphraseKey() const { return m_dir + QStringLiteral("/client/id_ed25519_pass"); }
QString Topology::wrongKey() const { return m_dir + QStringLiteral("/client/id_wrong"); }
QString Topology::knownHostsFile() const { return m_dir + QStringLiteral("/known_hosts"); }
QString Topology::hashedKnownHostsFile() const { return m_dir + QStringLiteral("/known_hosts_hashed"); }
QString Topology::sshConfigFile() const { return m_dir + QStringLiteral("/ssh_config"); }
QString Topology::gpuBinDir() const { return m_dir + QStringLiteral("/gpu-bin"); }
QString Topology::gpuSmallDiskDir() const { return m_dir + QStringLiteral("/gpu-small"); }
QString Topology::gpuReadOnlyDir() const { return m_dir + QStringLiteral("/gpu-readonly"); }
QString Topology::hostDir(const QString &host) const { return m_dir + QStringLiteral("/hosts/") + host; }
QString Topology::hostLogFile(const QString &host) const { return hostDir(host) + QStringLiteral("/sshd.log"); }

bool Topology::installGpuTool(const QString &name, const QByteArray &script, QString *error) const
{
    // Written to a temporary name and renamed, so a command running on the gpu host
    // never sees a half-written script.
    const QString path = gpuBinDir() + QLatin1Char('/') + name;
    const QString temp = path + QStringLiteral(".part");
    QFile file(temp);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(script) != script.size()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(temp, file.errorString());
        return false;
    }
    file.close();
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                        | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                        | QFileDevice::ExeOther);
    QFile::remove(path);
    if (!QFile::rename(temp, path)) {
        if (error)
            *error = QStringLiteral("cannot rename %1 to %2").arg(temp, path);
        return false;
    }
    return true;
}

bool Topology::control(const QString &verb, const QString &host, QString *error) const
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RDT_TOPO_DIR"), m_dir);
    process.setProcessEnvironment(env);
    process.start(m_script, {verb, host});
    // Control commands take milliseconds; a rekey with a restart well under a second.
    const bool finished = process.waitForFinished(30000);
    if (!finished || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        if (error) {
            QString why = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
            if (why.isEmpty())
                why = finished ? QStringLiteral("exit code %1").arg(process.exitCode())
                               : process.errorString();
            *error = QStringLiteral("topology %1 %2 failed: %3").arg(verb, host, why);
        }
        if (!finished)
            process.kill();
        return false;
    }
    return true;
}
