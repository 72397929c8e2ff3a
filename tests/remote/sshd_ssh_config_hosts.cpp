// ssh_config as OpenSSH reads it, connecting for real through the throwaway topology:
// each case writes a config file, resolves it with SshConfig as the workbench does, and
// checks what the servers saw. The jump host's name in these files does not resolve, so
// where a case reaches it, only the ProxyCommand can have taken it there.
#include "support_rdtctl.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include "SshConfig.h"
#include "SshClient.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using rdt::ErrorCode;

namespace {

QString errorText(const rdt::Error &error)
{
    return QStringLiteral("[code %1] %2").arg(int(error.code)).arg(error.message);
}

// The name the jump host goes by in these configs; .invalid never resolves (RFC 6761).
const QString kProxiedName = QStringLiteral("jump.proxied.invalid");

} // namespace

class SshConfigConnectionTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // The topology's known_hosts lines for `address`, under `name` instead.
    QByteArray knownHostsLinesAs(const QString &address, const QString &name) const
    {
        QFile file(m_topo.knownHostsFile());
        if (!file.open(QIODevice::ReadOnly))
            return {};
        QByteArray out;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (line.startsWith(address.toUtf8() + ' '))
                out += name.toUtf8() + line.mid(address.size()) + '\n';
        }
        return out;
    }

    void writeText(const QString &name, const QByteArray &text)
    {
        QFile file(path(name));
        QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(file.errorString()));
        file.write(text);
    }

    // A ProxyCommand that records its expanded tokens, then carries the session to the
    // jump host's real address over bash's /dev/tcp (no nc on the machine).
    QByteArray proxyCommandLine() const
    {
        return QStringLiteral("bash -c 'echo \"%h %p %r %n\" > %1; exec 3<>/dev/tcp/%2/%p; cat <&3 & exec cat >&3'")
            .arg(path(QStringLiteral("proxy-seen")), m_topo.jumpAddress())
            .toUtf8();
    }

    QByteArray commonLines() const
    {
        return "  User root\n  IdentityFile " + m_topo.clientKey().toUtf8() + "\n  UserKnownHostsFile "
            + path(QStringLiteral("known_hosts")).toUtf8() + "\n  ConnectTimeout 5\n";
    }

    // A host entry for the jump host's real address with our client key, and `extra` lines.
    QByteArray jumpEntry(const QString &alias, const QByteArray &extra) const
    {
        return "Host " + alias.toUtf8() + "\n  HostName " + m_topo.jumpAddress().toUtf8()
            + "\n  User root\n  IdentityFile " + m_topo.clientKey().toUtf8() + "\n  ConnectTimeout 5\n" + extra;
    }

    static rdt::SshQuestions recordingQuestions(bool *asked)
    {
        rdt::SshQuestions questions;
        questions.unknownHostKey = [asked](const rdt::HostKeyQuestion &) {
            *asked = true;
            return rdt::HostKeyAnswer::AcceptAndRemember;
        };
        return questions;
    }

    static bool run(const QString &program, const QStringList &arguments, QString *error)
    {
        QProcess process;
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(program, arguments);
        if (!process.waitForFinished(30000) || process.exitCode() != 0) {
            *error = QString::fromLocal8Bit(process.readAllStandardError());
            return false;
        }
        return true;
    }

    rdt::Result<rdt::SshRoute> resolve(const QByteArray &config, const QString &host)
    {
        writeText(QStringLiteral("config"), config);
        rdt::Result<rdt::SshConfig> loaded = rdt::SshConfig::load(path(QStringLiteral("config")), m_dir.path(), {});
        if (!loaded)
            return loaded.error();
        return loaded->resolve(host);
    }

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_dir.isValid());
        QFile original(m_topo.knownHostsFile());
        QVERIFY(original.open(QIODevice::ReadOnly));
        writeText(QStringLiteral("known_hosts"),
                  original.readAll() + knownHostsLinesAs(m_topo.jumpAddress(), kProxiedName));
    }

    // The classic bastion: the jump host is reachable only through its ProxyCommand, and
    // the GPU host behind it through ProxyJump as usual.
    void proxyCommandIsTheOnlyWayToTheJumpHost()
    {
        const QByteArray config = "Host bastion\n  HostName " + kProxiedName.toUtf8() + "\n" + commonLines()
            + "  ProxyCommand " + proxyCommandLine() + "\n"
            "Host gpu\n  HostName " + m_topo.gpuAddress().toUtf8() + "\n" + commonLines() + "  ProxyJump bastion\n";
        const auto route = resolve(config, QStringLiteral("gpu"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        QCOMPARE(route->jumps.size(), 1);
        QVERIFY(!route->jumps[0].proxyCommand.isEmpty());
        QVERIFY(route->target.proxyCommand.isEmpty());

        QFile::remove(path(QStringLiteral("proxy-seen")));
        Connected c = connectRoute(route.value());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        const CommandRun run = runCommand(*c.client, commandOf({"hostname", "-I"}));
        QVERIFY2(run.finished && run.exitStatus == 0, qPrintable(errorText(run.error)));
        QVERIFY2(run.out.contains(m_topo.gpuAddress().toUtf8()), run.out.constData());
        // %h %p %r %n as ssh expands them for the jump host.
        QFile seen(path(QStringLiteral("proxy-seen")));
        QVERIFY(seen.open(QIODevice::ReadOnly));
        QCOMPARE(seen.readAll(), QByteArray(kProxiedName.toUtf8() + " 22 root bastion\n"));

        // Without the ProxyCommand the same name leads nowhere.
        rdt::SshRoute direct;
        direct.target = route->jumps[0];
        direct.target.proxyCommand.clear();
        direct.target.connectTimeoutSeconds = 3;
        const Connected refused = connectRoute(direct);
        QVERIFY(!refused.client);
        QCOMPARE(refused.error.code, ErrorCode::HostUnreachable);
    }

    // The target itself behind a ProxyCommand (`ssh -W` style through our own jump is
    // not needed: the command reaches the jump host, whose sshd is the target here).
    void proxyCommandForTheTarget()
    {
        const QByteArray config = "Host direct\n  HostName " + kProxiedName.toUtf8() + "\n" + commonLines()
            + "  ProxyCommand " + proxyCommandLine() + "\n";
        const auto route = resolve(config, QStringLiteral("direct"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        QVERIFY(route->jumps.isEmpty());
        Connected c = connectRoute(route.value());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        const CommandRun run = runCommand(*c.client, commandOf({"hostname", "-I"}));
        QVERIFY2(run.out.contains(m_topo.jumpAddress().toUtf8()), run.out.constData());
    }

    // A ProxyCommand that fails says so, with its exit status and what it printed.
    void failingProxyCommandIsReported()
    {
        const QByteArray config = "Host broken\n  HostName " + kProxiedName.toUtf8() + "\n" + commonLines()
            + "  ProxyCommand sh -c 'echo bastion refused the tunnel >&2; exit 3'\n";
        const auto route = resolve(config, QStringLiteral("broken"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        const Connected c = connectRoute(route.value());
        QVERIFY(!c.client);
        QCOMPARE(c.error.code, ErrorCode::HostUnreachable);
        QVERIFY2(c.error.message.contains(QStringLiteral("exited with status 3")), qPrintable(c.error.message));
        QVERIFY2(c.error.message.contains(QStringLiteral("bastion refused the tunnel")), qPrintable(c.error.message));
    }

    // `ProxyCommand none` and `ProxyJump none` switch off what a later block would set.
    void noneSwitchesProxiesOff()
    {
        const QByteArray config = "Host plain\n  ProxyCommand none\nHost plain2\n  ProxyJump none\n"
            "Host *\n  HostName " + m_topo.jumpAddress().toUtf8() + "\n" + commonLines()
            + "  ProxyCommand false\n";
        for (const QString &host : {QStringLiteral("plain"), QStringLiteral("plain2")}) {
            const auto route = resolve(config, host);
            QVERIFY2(route.ok(), qPrintable(route.error().message));
            QVERIFY2(route->target.proxyCommand.isEmpty(), qPrintable(route->target.proxyCommand));
            Connected c = connectRoute(route.value());
            QVERIFY2(c.client, qPrintable(host + QLatin1Char(' ') + errorText(c.error)));
        }
    }

    // The key is on record only under the HostKeyAlias; StrictHostKeyChecking yes proves
    // that nothing was accepted as new.
    void hostKeyAliasIsLookedUp()
    {
        writeText(QStringLiteral("kh_alias"), knownHostsLinesAs(m_topo.jumpAddress(), QStringLiteral("gpualias")));
        const QByteArray files = "  UserKnownHostsFile " + path(QStringLiteral("kh_alias")).toUtf8()
            + "\n  GlobalKnownHostsFile none\n  StrictHostKeyChecking yes\n";
        bool asked = false;
        auto route = resolve(jumpEntry(QStringLiteral("aliased"), "  HostKeyAlias gpualias\n" + files), QStringLiteral("aliased"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        Connected c = connectRoute(route.value(), recordingQuestions(&asked));
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        QVERIFY(!asked);

        route = resolve(jumpEntry(QStringLiteral("plain"), files), QStringLiteral("plain"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        const Connected refused = connectRoute(route.value(), recordingQuestions(&asked));
        QVERIFY(!refused.client);
        QCOMPARE(refused.error.code, ErrorCode::HostKeyUnknown);
        QVERIFY2(!asked, "StrictHostKeyChecking yes must not ask");
        QVERIFY2(refused.error.message.contains(QStringLiteral("StrictHostKeyChecking is yes")), qPrintable(refused.error.message));
    }

    // Every UserKnownHostsFile is read, missing ones too, and then GlobalKnownHostsFile.
    void everyKnownHostsFileIsRead()
    {
        writeText(QStringLiteral("kh_empty"), "");
        writeText(QStringLiteral("kh_global"), knownHostsLinesAs(m_topo.jumpAddress(), m_topo.jumpAddress()));
        const QByteArray extra = "  UserKnownHostsFile " + path(QStringLiteral("kh_empty")).toUtf8() + " "
            + path(QStringLiteral("kh_missing")).toUtf8() + "\n  GlobalKnownHostsFile "
            + path(QStringLiteral("kh_missing2")).toUtf8() + " " + path(QStringLiteral("kh_global")).toUtf8()
            + "\n  StrictHostKeyChecking yes\n";
        const auto route = resolve(jumpEntry(QStringLiteral("global"), extra), QStringLiteral("global"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        Connected c = connectRoute(route.value());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
    }

    // accept-new records an unknown key, under the alias, in the first user file, without
    // asking; the next connection finds it there.
    void acceptNewRecordsWithoutAsking()
    {
        QFile::remove(path(QStringLiteral("kh_new")));
        const QByteArray extra = "  HostKeyAlias newalias\n  UserKnownHostsFile " + path(QStringLiteral("kh_new")).toUtf8()
            + " " + m_topo.knownHostsFile().toUtf8() + "\n  GlobalKnownHostsFile none\n";
        bool asked = false;
        auto route = resolve(jumpEntry(QStringLiteral("fresh"), extra + "  StrictHostKeyChecking accept-new\n"),
                             QStringLiteral("fresh"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        Connected c = connectRoute(route.value(), recordingQuestions(&asked));
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        QVERIFY(!asked);
        QFile recorded(path(QStringLiteral("kh_new")));
        QVERIFY(recorded.open(QIODevice::ReadOnly));
        const QByteArray text = recorded.readAll();
        QVERIFY2(text.startsWith("newalias ssh-") || text.startsWith("newalias ecdsa-"), text.constData());

        route = resolve(jumpEntry(QStringLiteral("fresh"), extra + "  StrictHostKeyChecking yes\n"), QStringLiteral("fresh"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        c = connectRoute(route.value(), recordingQuestions(&asked));
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
    }

    // @revoked in any file wins over a plain entry in another, over accept-new, and over
    // rdtctl --accept-new-host-keys.
    void revokedIsRefusedEvenWhenAcceptingNewKeys()
    {
        QByteArray revoked;
        for (const QByteArray &line : knownHostsLinesAs(m_topo.jumpAddress(), QStringLiteral("*")).split('\n'))
            if (!line.isEmpty())
                revoked += "@revoked " + line + "\n";
        writeText(QStringLiteral("kh_revoked"), revoked);
        const QByteArray extra = "  UserKnownHostsFile " + m_topo.knownHostsFile().toUtf8() + "\n  GlobalKnownHostsFile "
            + path(QStringLiteral("kh_revoked")).toUtf8() + "\n  StrictHostKeyChecking accept-new\n";
        bool asked = false;
        const auto route = resolve(jumpEntry(QStringLiteral("revoked"), extra), QStringLiteral("revoked"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        const Connected c = connectRoute(route.value(), recordingQuestions(&asked));
        QVERIFY(!c.client);
        QCOMPARE(c.error.code, ErrorCode::HostKeyChanged);
        QVERIFY(!asked);
        QVERIFY2(c.error.message.contains(QStringLiteral("REVOKED")), qPrintable(c.error.message));
        QVERIFY2(c.error.message.contains(path(QStringLiteral("kh_revoked"))), qPrintable(c.error.message));

        const CliRun cli = runRdtctl({QStringLiteral("-F"), path(QStringLiteral("config")), QStringLiteral("--accept-new-host-keys"),
                                      QStringLiteral("exec"), QStringLiteral("revoked"), QStringLiteral("--"), QStringLiteral("true")},
                                     m_dir.path(), 60000);
        QCOMPARE(cli.exitCode, 255);
        QVERIFY2(cli.err.contains("REVOKED"), cli.err.constData());
    }

    // CheckHostIP: the name's key is on record, but the address records another key.
    void checkHostIpRefusesAnAddressWithAnotherKey()
    {
        QByteArray lines = knownHostsLinesAs(m_topo.jumpAddress(), QStringLiteral("jumpname"));
        lines += knownHostsLinesAs(m_topo.gpuAddress(), m_topo.jumpAddress());   // gpu's keys, jump's address
        writeText(QStringLiteral("kh_ip"), lines);
        const QByteArray extra = "  HostKeyAlias jumpname\n  UserKnownHostsFile " + path(QStringLiteral("kh_ip")).toUtf8()
            + "\n  GlobalKnownHostsFile none\n  StrictHostKeyChecking yes\n";
        auto route = resolve(jumpEntry(QStringLiteral("ip"), extra + "  CheckHostIP yes\n"), QStringLiteral("ip"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        const Connected refused = connectRoute(route.value());
        QVERIFY(!refused.client);
        QCOMPARE(refused.error.code, ErrorCode::HostKeyChanged);
        QVERIFY2(refused.error.message.contains(m_topo.jumpAddress()), qPrintable(refused.error.message));

        route = resolve(jumpEntry(QStringLiteral("ip"), extra + "  CheckHostIP no\n"), QStringLiteral("ip"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        Connected c = connectRoute(route.value());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
    }

    // A key no server authorises, with a certificate from the CA the servers trust
    // (TrustedUserCAKeys): beside the key as -cert.pub, or named by CertificateFile.
    void userCertificateSignedByTrustedCa()
    {
        const QString key = path(QStringLiteral("id_cert"));
        QFile::remove(key);
        QFile::remove(key + QStringLiteral(".pub"));
        QFile::remove(key + QStringLiteral("-cert.pub"));
        QString error;
        QVERIFY2(run(QStringLiteral("ssh-keygen"), {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                                                     QStringLiteral("-N"), QString(), QStringLiteral("-f"), key}, &error),
                 qPrintable(error));
        const QByteArray files = "  UserKnownHostsFile " + m_topo.knownHostsFile().toUtf8() + "\n  IdentitiesOnly yes\n"
            "  IdentityAgent none\n";
        auto entry = [&](const QByteArray &extra) {
            return "Host certified\n  HostName " + m_topo.jumpAddress().toUtf8() + "\n  User root\n  IdentityFile "
                + key.toUtf8() + "\n  ConnectTimeout 5\n" + files + extra;
        };
        // Without a certificate the key is refused.
        auto route = resolve(entry({}), QStringLiteral("certified"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        Connected c = connectRoute(route.value());
        QVERIFY(!c.client);
        QCOMPARE(c.error.code, ErrorCode::AuthFailed);

        QVERIFY2(run(QStringLiteral("ssh-keygen"), {QStringLiteral("-q"), QStringLiteral("-s"), m_topo.dir() + QStringLiteral("/client/user_ca"),
                                                     QStringLiteral("-I"), QStringLiteral("rdt-cert-test"), QStringLiteral("-n"),
                                                     QStringLiteral("root"), key + QStringLiteral(".pub")}, &error),
                 qPrintable(error));
        c = connectRoute(route.value());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        const CommandRun whoami = runCommand(*c.client, commandOf({"id", "-un"}));
        QCOMPARE(whoami.out, QByteArray("root\n"));
        QFile log(m_topo.hostLogFile(QStringLiteral("jump")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY2(log.readAll().contains("ID rdt-cert-test"), "the server's log shows no login by the certificate");

        // The same certificate elsewhere, named by CertificateFile.
        const QString moved = path(QStringLiteral("elsewhere-cert.pub"));
        QFile::remove(moved);
        QVERIFY(QFile::rename(key + QStringLiteral("-cert.pub"), moved));
        route = resolve(entry("  CertificateFile " + moved.toUtf8() + "\n"), QStringLiteral("certified"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        c = connectRoute(route.value());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
    }

    // PubkeyAuthentication no leaves out the only method these servers take.
    void pubkeyAuthenticationNoIsHonoured()
    {
        const QByteArray extra = "  UserKnownHostsFile " + m_topo.knownHostsFile().toUtf8() + "\n  PubkeyAuthentication no\n";
        const auto route = resolve(jumpEntry(QStringLiteral("nokeys"), extra), QStringLiteral("nokeys"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        const Connected c = connectRoute(route.value());
        QVERIFY(!c.client);
        QCOMPARE(c.error.code, ErrorCode::AuthFailed);
    }
};

QTEST_GUILESS_MAIN(SshConfigConnectionTest)
#include "sshd_ssh_config_hosts.moc"
