// SshConfig against configuration files written into a throwaway home folder: patterns,
// first-value-wins, Include, token expansion, ProxyJump chains and loops, and error texts.
#include "SshConfig.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <pwd.h>
#include <unistd.h>

using rdt::SshConfig;
using rdt::SshHost;
using rdt::SshRoute;

class SshConfigTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;

    QString sshDir() const { return m_home.path() + QStringLiteral("/.ssh"); }

    void writeFile(const QString &relativePath, const QByteArray &text)
    {
        const QString path = sshDir() + QLatin1Char('/') + relativePath;
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate),
                 qPrintable(file.errorString()));
        file.write(text);
    }

    // Loads ~/.ssh/config of the throwaway home after writing `text` into it.
    SshConfig load(const QByteArray &text)
    {
        writeFile(QStringLiteral("config"), text);
        rdt::Result<SshConfig> config = SshConfig::load({}, m_home.path());
        if (!config)
            qWarning("load failed: %s", qPrintable(config.error().message));
        return config ? config.value() : SshConfig();
    }

    static QString localUserName()
    {
        const passwd *entry = getpwuid(getuid());
        return entry ? QString::fromLocal8Bit(entry->pw_name) : QString();
    }

    static QStringList hopNames(const SshRoute &route)
    {
        QStringList names;
        for (const SshHost &hop : route.hops())
            names.append(QStringLiteral("%1@%2:%3").arg(hop.user, hop.hostName).arg(hop.port));
        return names;
    }

private slots:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void aliasWithAllKeywords()
    {
        const SshConfig config = load(
            "# lab servers\n"
            "Host gpu01\n"
            "    HostName 198.51.100.7\n"
            "    User alice\n"
            "    Port 2222\n"
            "    IdentityFile ~/.ssh/id_gpu\n"
            "    UserKnownHostsFile ~/.ssh/known_hosts.lab ~/.ssh/known_hosts.other\n"
            "    ConnectTimeout 7\n"
            "    ServerAliveInterval 20\n"
            "    ServerAliveCountMax 5\n"
            "    IdentitiesOnly yes\n"
            "    Ciphers aes128-gcm@openssh.com,chacha20-poly1305@openssh.com\n"
            "    ForwardAgent yes\n");
        const auto route = config.resolve(QStringLiteral("gpu01"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        QVERIFY(route->jumps.isEmpty());
        const SshHost &host = route->target;
        QCOMPARE(host.alias, QStringLiteral("gpu01"));
        QCOMPARE(host.hostName, QStringLiteral("198.51.100.7"));
        QCOMPARE(host.user, QStringLiteral("alice"));
        QCOMPARE(host.port, 2222);
        QCOMPARE(host.identityFiles, QStringList{sshDir() + QStringLiteral("/id_gpu")});
        QCOMPARE(host.knownHostsFile, sshDir() + QStringLiteral("/known_hosts.lab"));
        QCOMPARE(host.connectTimeoutSeconds, 7);
        QCOMPARE(host.serverAliveIntervalSeconds, 20);
        QCOMPARE(host.serverAliveCountMax, 5);
        QVERIFY(host.identitiesOnly);
        QCOMPARE(host.ciphers, QStringLiteral("aes128-gcm@openssh.com,chacha20-poly1305@openssh.com"));
    }

    void unknownHostKeepsDefaults()
    {
        const SshConfig config = load("Host other\n  User bob\n");
        const auto host = config.resolveHost(QStringLiteral("example.org"));
        QVERIFY2(host.ok(), qPrintable(host.error().message));
        QCOMPARE(host->hostName, QStringLiteral("example.org"));
        QCOMPARE(host->user, QString());
        QCOMPARE(host->port, 22);
        QCOMPARE(host->connectTimeoutSeconds, SshHost().connectTimeoutSeconds);
        QVERIFY(host->identityFiles.isEmpty());
        QVERIFY(host->knownHostsFile.isEmpty());
    }

    void firstValueWinsAndIdentitiesAccumulate()
    {
        const SshConfig config = load(
            "Host gpu*\n"
            "  User first\n"
            "  IdentityFile ~/.ssh/a\n"
            "Host gpu01\n"
            "  User second\n"
            "  Port 2201\n"
            "  IdentityFile ~/.ssh/b\n"
            "Host *\n"
            "  User fallback\n"
            "  Port 2200\n"
            "  IdentityFile ~/.ssh/a\n"  // a duplicate is tried once
            "  IdentityFile ~/.ssh/c\n");
        const auto host = config.resolveHost(QStringLiteral("gpu01"));
        QVERIFY2(host.ok(), qPrintable(host.error().message));
        QCOMPARE(host->user, QStringLiteral("first"));
        QCOMPARE(host->port, 2201);
        QCOMPARE(host->identityFiles,
                 (QStringList{sshDir() + QStringLiteral("/a"), sshDir() + QStringLiteral("/b"),
                              sshDir() + QStringLiteral("/c")}));
        const auto other = config.resolveHost(QStringLiteral("cpu"));
        QVERIFY2(other.ok(), qPrintable(other.error().message));
        QCOMPARE(other->user, QStringLiteral("fallback"));
        QCOMPARE(other->port, 2200);
    }

    void patterns_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("user");
        QTest::newRow("exact second pattern") << "login" << "multi";
        QTest::newRow("star") << "node17.cluster" << "star";
        QTest::newRow("negated excludes") << "node-bad.cluster" << "rest";
        QTest::newRow("question mark") << "gpu7" << "question";
        QTest::newRow("question mark is one char") << "gpu17" << "rest";
        QTest::newRow("case-sensitive, as in ssh") << "LOGIN" << "rest";
        QTest::newRow("no match") << "elsewhere" << "rest";
    }

    void patterns()
    {
        QFETCH(QString, host);
        QFETCH(QString, user);
        const SshConfig config = load(
            "Host bastion login\n  User multi\n"
            "Host *.cluster !node-bad.*\n  User star\n"
            "Host gpu?\n  User question\n"
            "Host *\n  User rest\n");
        const auto resolved = config.resolveHost(host);
        QVERIFY2(resolved.ok(), qPrintable(resolved.error().message));
        QCOMPARE(resolved->user, user);
    }

    void syntaxVariants()
    {
        const SshConfig config = load(
            "HOST syntax   # the lab's test box\n"
            "\tHOSTNAME=192.0.2.9\n"
            "  user = \"carol smith\"\n"
            "  PoRt=2022   # a trailing comment\n"
            "  IdentityFile \"~/.ssh/key with spaces\"\n"
            "  IdentityFile '~/.ssh/single quoted'\r\n"
            "\n"
            "   # indented comment\n");
        const auto host = config.resolveHost(QStringLiteral("syntax"));
        QVERIFY2(host.ok(), qPrintable(host.error().message));
        QCOMPARE(host->hostName, QStringLiteral("192.0.2.9"));
        QCOMPARE(host->user, QStringLiteral("carol smith"));
        QCOMPARE(host->port, 2022);
        QCOMPARE(host->identityFiles,
                 (QStringList{sshDir() + QStringLiteral("/key with spaces"),
                              sshDir() + QStringLiteral("/single quoted")}));
    }

    void tokensExpand()
    {
        const SshConfig config = load(
            "Host *.lab\n"
            "  HostName %h.example.org\n"
            "  User robot\n"
            "  IdentityFile %d/keys/%r@%h:%p\n"
            "  IdentityFile ~/keys/%u-%n-100%%\n"
            "  UserKnownHostsFile %d/.ssh/known_%r\n");
        const auto host = config.resolveHost(QStringLiteral("gpu.lab"));
        QVERIFY2(host.ok(), qPrintable(host.error().message));
        QCOMPARE(host->hostName, QStringLiteral("gpu.lab.example.org"));
        const QString localUser = localUserName();
        if (!localUser.isEmpty()) {
            QCOMPARE(host->identityFiles,
                     (QStringList{m_home.path() + QStringLiteral("/keys/robot@gpu.lab.example.org:22"),
                                  m_home.path() + QStringLiteral("/keys/%1-gpu.lab-100%")
                                                      .arg(localUser)}));
        }
        QCOMPARE(host->knownHostsFile, m_home.path() + QStringLiteral("/.ssh/known_robot"));
    }

    void badTokenNamesFileAndLine()
    {
        const SshConfig config = load("Host x\n  IdentityFile ~/.ssh/%Z\n");
        const auto host = config.resolveHost(QStringLiteral("x"));
        QVERIFY(!host.ok());
        QVERIFY2(host.error().message.contains(QStringLiteral("config:2")),
                 qPrintable(host.error().message));
        QVERIFY2(host.error().message.contains(QStringLiteral("%Z")),
                 qPrintable(host.error().message));
    }

    void includeWithGlobAndHostBlock()
    {
        writeFile(QStringLiteral("conf.d/10-lab.conf"),
                  "Host lab-gpu\n  HostName 198.51.100.20\n  User labuser\n");
        writeFile(QStringLiteral("conf.d/20-other.conf"), "Host other\n  Port 2020\n");
        writeFile(QStringLiteral("conf.d/ignored.txt"), "Host lab-gpu\n  User wrong\n");
        writeFile(QStringLiteral("scoped.conf"), "Port 3030\nHost *\n  User scoped\n");
        const SshConfig config = load(
            "Include conf.d/*.conf\n"
            "Host lab-gpu\n"
            "  Include ~/.ssh/scoped.conf\n"
            "  User not-reached\n"   // the included `Host *` block ended with its file,
                                      // but User was already set there
            "Host *\n"
            "  Include missing-*.conf\n");  // no match: silently nothing, as in ssh
        const auto host = config.resolveHost(QStringLiteral("lab-gpu"));
        QVERIFY2(host.ok(), qPrintable(host.error().message));
        QCOMPARE(host->hostName, QStringLiteral("198.51.100.20"));
        QCOMPARE(host->user, QStringLiteral("labuser"));
        QCOMPARE(host->port, 3030);
        const auto other = config.resolveHost(QStringLiteral("other"));
        QVERIFY2(other.ok(), qPrintable(other.error().message));
        QCOMPARE(other->port, 2020);
        QCOMPARE(other->user, QString());  // scoped.conf is only read inside `Host lab-gpu`
    }

    void includeLoopIsAnError()
    {
        writeFile(QStringLiteral("self.conf"), "Include self.conf\n");
        writeFile(QStringLiteral("config"), "Include self.conf\n");
        const auto config = SshConfig::load({}, m_home.path());
        QVERIFY(!config.ok());
        QVERIFY2(config.error().message.contains(QStringLiteral("Include nested")),
                 qPrintable(config.error().message));
    }

    void matchBlocks()
    {
        const SshConfig config = load(
            "Host short\n"
            "  HostName long.example.org\n"
            "Match host long.example.org\n"
            "  User matched-by-hostname\n"
            "Match exec \"false\"\n"
            "  Port 1111\n"
            "Match localnetwork 192.0.2.0/24\n"
            "  Port 1112\n"
            "Match originalhost other !user nobody\n"
            "  Port 2222\n"
            "Match all\n"
            "  ConnectTimeout 3\n");
        QCOMPARE(config.warnings().size(), 1);
        QVERIFY2(config.warnings().first().contains(QStringLiteral("localnetwork")),
                 qPrintable(config.warnings().join(QLatin1Char('\n'))));
        const auto host = config.resolveHost(QStringLiteral("short"));
        QVERIFY2(host.ok(), qPrintable(host.error().message));
        QCOMPARE(host->user, QStringLiteral("matched-by-hostname"));
        QCOMPARE(host->port, 22);
        QCOMPARE(host->connectTimeoutSeconds, 3);
        const auto other = config.resolveHost(QStringLiteral("other"));
        QVERIFY2(other.ok(), qPrintable(other.error().message));
        QCOMPARE(other->port, 2222);
    }

    void destinationSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("hostName");
        QTest::addColumn<int>("port");
        QTest::newRow("alias") << "gpu" << "cfg" << "198.51.100.5" << 2200;
        QTest::newRow("user overrides") << "bob@gpu" << "bob" << "198.51.100.5" << 2200;
        QTest::newRow("port overrides") << "bob@gpu:23" << "bob" << "198.51.100.5" << 23;
        QTest::newRow("uri") << "ssh://bob@gpu:24" << "bob" << "198.51.100.5" << 24;
        QTest::newRow("uri without user") << "ssh://gpu/" << "cfg" << "198.51.100.5" << 2200;
        QTest::newRow("plain host") << "192.0.2.1" << "" << "192.0.2.1" << 22;
        QTest::newRow("user with @") << "a@b.org@192.0.2.1" << "a@b.org" << "192.0.2.1" << 22;
        QTest::newRow("bracketed v6") << "u@[2001:db8::1]:2200" << "u" << "2001:db8::1" << 2200;
        QTest::newRow("bare v6") << "2001:db8::2" << "" << "2001:db8::2" << 22;
    }

    void destinationSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, user);
        QFETCH(QString, hostName);
        QFETCH(int, port);
        const SshConfig config = load("Host gpu\n  HostName 198.51.100.5\n  User cfg\n  Port 2200\n");
        const auto host = config.resolveHost(spec);
        QVERIFY2(host.ok(), qPrintable(host.error().message));
        QCOMPARE(host->user, user);
        QCOMPARE(host->hostName, hostName);
        QCOMPARE(host->port, port);
    }

    void badDestinations_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << "" << "no host name";
        QTest::newRow("empty user") << "@gpu" << "empty user name";
        QTest::newRow("empty port") << "gpu:" << "empty port";
        QTest::newRow("port too big") << "gpu:70000" << "1 to 65535";
        QTest::newRow("port not a number") << "gpu:ssh" << "1 to 65535";
        QTest::newRow("unclosed bracket") << "[2001:db8::1" << "without ']'";
        QTest::newRow("blank") << "gpu 01" << "blank";
    }

    void badDestinations()
    {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        const SshConfig config = load("");
        const auto route = config.resolve(spec);
        QVERIFY(!route.ok());
        QCOMPARE(route.error().code, rdt::ErrorCode::InvalidArgument);
        QVERIFY2(route.error().message.contains(expected), qPrintable(route.error().message));
    }

    void proxyJumpAlias()
    {
        const SshConfig config = load(
            "Host jump\n"
            "  HostName 192.0.2.2\n"
            "  User jumper\n"
            "  Port 2022\n"
            "  IdentityFile ~/.ssh/id_jump\n"
            "Host gpu\n"
            "  HostName 198.51.100.3\n"
            "  User trainer\n"
            "  ProxyJump jump\n");
        const auto route = config.resolve(QStringLiteral("gpu"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        QCOMPARE(hopNames(route.value()),
                 (QStringList{QStringLiteral("jumper@192.0.2.2:2022"),
                              QStringLiteral("trainer@198.51.100.3:22")}));
        QCOMPARE(route->jumps.first().alias, QStringLiteral("jump"));
        QCOMPARE(route->jumps.first().identityFiles,
                 QStringList{sshDir() + QStringLiteral("/id_jump")});
    }

    void proxyJumpUserHostPortOverridesConfig()
    {
        const SshConfig config = load(
            "Host jump\n  HostName 192.0.2.2\n  User jumper\n  Port 2022\n"
            "Host gpu\n  ProxyJump ops@jump:2200\n");
        const auto route = config.resolve(QStringLiteral("gpu"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        QCOMPARE(hopNames(route.value()),
                 (QStringList{QStringLiteral("ops@192.0.2.2:2200"), QStringLiteral("@gpu:22")}));
    }

    void proxyJumpChainAndNestedJumps()
    {
        const SshConfig config = load(
            "Host outer\n  HostName 192.0.2.1\n"
            "Host inner\n  HostName 192.0.2.2\n  ProxyJump ignored-because-chained\n"
            "Host gpu\n  HostName 198.51.100.3\n  ProxyJump outer,u2@inner:2202\n"
            "Host deep\n  HostName 198.51.100.4\n  ProxyJump gpu\n");
        const auto route = config.resolve(QStringLiteral("gpu"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        QCOMPARE(hopNames(route.value()),
                 (QStringList{QStringLiteral("@192.0.2.1:22"), QStringLiteral("u2@192.0.2.2:2202"),
                              QStringLiteral("@198.51.100.3:22")}));
        // A jump host's own ProxyJump is followed when nothing in front of it overrides it.
        const auto deep = config.resolve(QStringLiteral("deep"));
        QVERIFY2(deep.ok(), qPrintable(deep.error().message));
        QCOMPARE(deep->hops().size(), 4);
        QCOMPARE(deep->jumps.at(2).hostName, QStringLiteral("198.51.100.3"));
        QCOMPARE(deep->target.hostName, QStringLiteral("198.51.100.4"));
    }

    void proxyJumpNoneAndCommandLine()
    {
        const SshConfig config = load(
            "Host direct\n  ProxyJump none\n"
            "Host gpu\n  ProxyJump jump\n"
            "Host jump\n  HostName 192.0.2.2\n");
        const auto direct = config.resolve(QStringLiteral("direct"));
        QVERIFY2(direct.ok(), qPrintable(direct.error().message));
        QVERIFY(direct->jumps.isEmpty());

        // -J replaces the file's ProxyJump for the target.
        const auto viaCli = config.resolve(QStringLiteral("gpu"),
                                           {QStringLiteral("a@192.0.2.10:2000,192.0.2.11")});
        QVERIFY2(viaCli.ok(), qPrintable(viaCli.error().message));
        QCOMPARE(hopNames(viaCli.value()),
                 (QStringList{QStringLiteral("a@192.0.2.10:2000"), QStringLiteral("@192.0.2.11:22"),
                              QStringLiteral("@gpu:22")}));
        const auto none = config.resolve(QStringLiteral("gpu"), {QStringLiteral("none")});
        QVERIFY2(none.ok(), qPrintable(none.error().message));
        QVERIFY(none->jumps.isEmpty());
    }

    void proxyJumpLoops()
    {
        const SshConfig config = load(
            "Host a\n  ProxyJump b\n"
            "Host b\n  ProxyJump c\n"
            "Host c\n  ProxyJump a\n");
        const auto route = config.resolve(QStringLiteral("a"));
        QVERIFY(!route.ok());
        QCOMPARE(route.error().code, rdt::ErrorCode::ConfigError);
        QVERIFY2(route.error().message.contains(QStringLiteral("loop: a -> b -> c -> a")),
                 qPrintable(route.error().message));
        QVERIFY2(route.error().message.contains(QStringLiteral("config:6")),
                 qPrintable(route.error().message));

        // The classic mistake: `Host *` with ProxyJump also applies to the jump host.
        const SshConfig star = load("Host *\n  ProxyJump jump\n");
        const auto self = star.resolve(QStringLiteral("gpu"));
        QVERIFY(!self.ok());
        QVERIFY2(self.error().message.contains(QStringLiteral("loop")),
                 qPrintable(self.error().message));
        const SshConfig fixed = load("Host * !jump\n  ProxyJump jump\n");
        const auto ok = fixed.resolve(QStringLiteral("gpu"));
        QVERIFY2(ok.ok(), qPrintable(ok.error().message));
        QCOMPARE(ok->jumps.size(), 1);

        // Not a loop: jump2 goes through jump by the file, and -J puts jump after jump2. ssh
        // runs `ssh -J jump2 -W gpu jump`, whose jump2 runs `ssh -W jump2 jump`.
        const auto twice = fixed.resolve(QStringLiteral("gpu"),
                                         {QStringLiteral("jump2,jump")});
        QVERIFY2(twice.ok(), qPrintable(twice.error().message));
        QStringList aliases;
        for (const SshHost &hop : twice->hops())
            aliases.append(hop.alias);
        QCOMPARE(aliases, (QStringList{QStringLiteral("jump"), QStringLiteral("jump2"),
                                       QStringLiteral("jump"), QStringLiteral("gpu")}));
    }

    void proxyCommandExpandsItsTokens()
    {
        const SshConfig config = load("Host old\n  HostName old.example\n  User carol\n  Port 2202\n"
                                      "  ProxyCommand ssh -W %h:%p -l %r \"%n\" jump %%\n"
                                      "Host viaold\n  ProxyJump old\n");
        const auto route = config.resolve(QStringLiteral("old"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));
        QVERIFY(route->jumps.isEmpty());
        QCOMPARE(route->target.proxyCommand, QStringLiteral("ssh -W old.example:2202 -l carol \"old\" jump %"));
        // A hop behind a jump comes through that jump: its ProxyCommand is not used, as
        // with `ssh -J`; the jump host keeps its own.
        const auto behind = config.resolve(QStringLiteral("viaold"));
        QVERIFY2(behind.ok(), qPrintable(behind.error().message));
        QCOMPARE(behind->jumps.size(), 1);
        QVERIFY(!behind->jumps[0].proxyCommand.isEmpty());
        QVERIFY(behind->target.proxyCommand.isEmpty());
        // -J wins over ProxyCommand, as in ssh.
        const auto jumped = config.resolve(QStringLiteral("old"), {QStringLiteral("192.0.2.2")});
        QVERIFY2(jumped.ok(), qPrintable(jumped.error().message));
        QVERIFY(jumped->target.proxyCommand.isEmpty());
        // A token ssh does not expand there is an error naming file and line.
        const SshConfig bad = load("Host bad\n  ProxyCommand nc %h %k\n");
        const auto refused = bad.resolve(QStringLiteral("bad"));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("config:2")), qPrintable(refused.error().message));
    }

    void parseErrorsNameFileAndLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad port") << QByteArray("Host x\n  Port 99999\n") << "config:2: Port '99999'";
        QTest::newRow("port in unused block")
            << QByteArray("Host never\n\n  Port twenty\n") << "config:3: Port 'twenty'";
        QTest::newRow("bad timeout") << QByteArray("ConnectTimeout soon\n")
                                     << "config:1: ConnectTimeout 'soon'";
        QTest::newRow("unterminated quote") << QByteArray("Host x\n  User \"bob\n")
                                            << "config:2: unterminated";
        QTest::newRow("no value") << QByteArray("Host x\n  HostName\n") << "config:2: HostName has no value";
        QTest::newRow("bad jump") << QByteArray("Host x\n  ProxyJump jump:0\n")
                                  << "config:2: host 'jump:0'";
        QTest::newRow("bad match") << QByteArray("Match colour blue\n") << "config:1: unknown Match";
        QTest::newRow("bad exec token") << QByteArray("Host x\nMatch exec \"test %z\"\n") << "config:2: %z is not a token";
        QTest::newRow("bad flag") << QByteArray("Host x\n  StrictHostKeyChecking maybe\n")
                                  << "config:2: stricthostkeychecking 'maybe' is not one of";
    }

    void parseErrorsNameFileAndLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        writeFile(QStringLiteral("config"), text);
        const auto config = SshConfig::load({}, m_home.path());
        QVERIFY(!config.ok());
        QCOMPARE(config.error().code, rdt::ErrorCode::ConfigError);
        QVERIFY2(config.error().message.contains(expected), qPrintable(config.error().message));
    }

    // The same file through OpenSSH's own parser (`ssh -G` prints what it resolved), so
    // that "like ssh does" is checked against ssh, not against our reading of its manual.
    void agreesWithOpenSsh_data()
    {
        QTest::addColumn<QString>("destination");
        QTest::newRow("first wins") << "gpu01";
        QTest::newRow("second pattern") << "login";
        QTest::newRow("upper case") << "LOGIN";
        QTest::newRow("uri") << "ssh://bob@gpu01:2300";
        QTest::newRow("negated") << "node-bad";
        QTest::newRow("question mark") << "gpu7";
        QTest::newRow("match host") << "short";
        QTest::newRow("tokens") << "x.lab";
        QTest::newRow("include in a host block") << "inc";
        QTest::newRow("include skipped") << "other";
    }

    void agreesWithOpenSsh()
    {
        QFETCH(QString, destination);
        const QString ssh = QStandardPaths::findExecutable(QStringLiteral("ssh"));
        if (ssh.isEmpty())
            QSKIP("OpenSSH client not installed");
        writeFile(QStringLiteral("compare-included.conf"),
                  "Port 3030\nHost *\n  User scoped\n  UserKnownHostsFile ~/.ssh/kh_%r_%h\n");
        const QByteArray text =
            "Host inc\n  Include " + sshDir().toUtf8() + "/compare-included.conf\n"
            "Host gpu?\n  User question\n"
            "Host gpu*\n  User first\n"
            "Host gpu01 login\n  HostName 198.51.100.7\n  Port 2201\n  User second\n"
            "Host short\n  HostName Long.Example.org\n"
            "Host *.lab\n  HostName %h.example.org\n"
            "Match host long.example.org\n  User by-match\n  Port 2302\n"
            "Host * !node-bad\n  Port 2200\n"
            "Host *\n  ConnectTimeout 9\n";
        writeFile(QStringLiteral("compare.conf"), text);
        const QString path = sshDir() + QStringLiteral("/compare.conf");
        // ssh takes ~ from the password database, not from $HOME.
        const passwd *entry = getpwuid(getuid());
        QVERIFY(entry);
        const QString home = QFile::decodeName(entry->pw_dir);
        const auto config = SshConfig::load(path, home);
        QVERIFY2(config.ok(), qPrintable(config.error().message));
        const auto host = config->resolveHost(destination);
        QVERIFY2(host.ok(), qPrintable(host.error().message));

        QProcess process;
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(ssh, {QStringLiteral("-G"), QStringLiteral("-F"), path, destination});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 0);
        QHash<QString, QString> expected;
        for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
            const qsizetype space = line.indexOf(' ');
            if (space > 0)
                expected.insert(QString::fromUtf8(line.left(space)).toLower(),
                                QString::fromUtf8(line.mid(space + 1)));
        }
        QCOMPARE(host->hostName, expected.value(QStringLiteral("hostname")));
        QCOMPARE(QString::number(host->port), expected.value(QStringLiteral("port")));
        const QString localUser = localUserName();
        if (!host->user.isEmpty() || !localUser.isEmpty())
            QCOMPARE(host->user.isEmpty() ? localUser : host->user,
                     expected.value(QStringLiteral("user")));
        QCOMPARE(QString::number(host->connectTimeoutSeconds),
                 expected.value(QStringLiteral("connecttimeout")));
        const QString knownHosts = expected.value(QStringLiteral("userknownhostsfile"))
                                       .section(QLatin1Char(' '), 0, 0);
        if (host->knownHostsFile.isEmpty())
            QCOMPARE(knownHosts, home + QStringLiteral("/.ssh/known_hosts"));
        else
            QCOMPARE(host->knownHostsFile, knownHosts);
    }

    // The system file comes after the user's: the user's values win, the system's fill in,
    // and its relative Includes are relative to its own folder. A file named with -F
    // replaces both.
    void systemFileAfterUserFile()
    {
        QTemporaryDir etc;
        QVERIFY(etc.isValid());
        QDir().mkpath(etc.path() + QStringLiteral("/ssh_config.d"));
        QFile system(etc.path() + QStringLiteral("/ssh_config"));
        QVERIFY(system.open(QIODevice::WriteOnly));
        system.write("Include ssh_config.d/*.conf\nHost *\n  User system-user\n  Port 2200\n");
        system.close();
        QFile dropIn(etc.path() + QStringLiteral("/ssh_config.d/10-timeout.conf"));
        QVERIFY(dropIn.open(QIODevice::WriteOnly));
        dropIn.write("ConnectTimeout 21\n");
        dropIn.close();
        writeFile(QStringLiteral("config"), "Host gpu\n  Port 2300\n");

        const auto both = SshConfig::load({}, m_home.path(), system.fileName());
        QVERIFY2(both.ok(), qPrintable(both.error().message));
        const auto host = both->resolveHost(QStringLiteral("gpu"));
        QVERIFY2(host.ok(), qPrintable(host.error().message));
        QCOMPARE(host->port, 2300);
        QCOMPARE(host->user, QStringLiteral("system-user"));
        QCOMPARE(host->connectTimeoutSeconds, 21);

        // Only the user's own keywords are named as ignored, each once.
        QVERIFY(system.open(QIODevice::Append));
        system.write("  HashKnownHosts yes\n");
        system.close();
        writeFile(QStringLiteral("config"), "Host gpu\n  Port 2300\n  ForwardAgent yes\nHost *\n  ForwardAgent no\n"
                                            "  Compression yes\n");
        const auto noted = SshConfig::load({}, m_home.path(), system.fileName());
        QVERIFY2(noted.ok(), qPrintable(noted.error().message));
        QCOMPARE(noted->ignoredKeywordsFor(QStringLiteral("gpu")),
                 (QStringList{QStringLiteral("forwardagent (%1:3)").arg(sshDir() + QStringLiteral("/config")),
                              QStringLiteral("compression (%1:6)").arg(sshDir() + QStringLiteral("/config"))}));

        const auto named = SshConfig::load(sshDir() + QStringLiteral("/config"), m_home.path(), system.fileName());
        QVERIFY2(named.ok(), qPrintable(named.error().message));
        QCOMPARE(named->resolveHost(QStringLiteral("gpu"))->user, QString());

        // `~` in a system file's Include is refused, with file and line.
        QVERIFY(system.open(QIODevice::WriteOnly | QIODevice::Truncate));
        system.write("Host *\n  Include ~/.ssh/extra\n");
        system.close();
        const auto refused = SshConfig::load({}, m_home.path(), system.fileName());
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(system.fileName() + QStringLiteral(":2")),
                 qPrintable(refused.error().message));
    }

    void parseFromText()
    {
        const auto config = SshConfig::parse("Host x\n  Port 2202\n", QStringLiteral("profile"),
                                             m_home.path());
        QVERIFY2(config.ok(), qPrintable(config.error().message));
        QCOMPARE(config->resolveHost(QStringLiteral("x"))->port, 2202);
        const auto bad = SshConfig::parse("Host x\n  Port 0\n", QStringLiteral("profile"));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.startsWith(QStringLiteral("profile:2: Port '0'")),
                 qPrintable(bad.error().message));
        // A default-constructed configuration is empty, as with `ssh -F /dev/null`.
        const auto plain = SshConfig().resolve(QStringLiteral("u@Host.Example:2022"));
        QVERIFY2(plain.ok(), qPrintable(plain.error().message));
        QCOMPARE(plain->target.hostName, QStringLiteral("host.example"));
        QCOMPARE(plain->target.alias, QStringLiteral("Host.Example"));
    }

    void missingFiles()
    {
        QTemporaryDir emptyHome;
        const auto implicit = SshConfig::load({}, emptyHome.path());
        QVERIFY2(implicit.ok(), qPrintable(implicit.error().message));
        const auto route = implicit->resolve(QStringLiteral("me@192.0.2.4"));
        QVERIFY2(route.ok(), qPrintable(route.error().message));

        const QString missing = emptyHome.path() + QStringLiteral("/nope.conf");
        const auto explicitFile = SshConfig::load(missing, emptyHome.path());
        QVERIFY(!explicitFile.ok());
        QVERIFY2(explicitFile.error().message.contains(missing),
                 qPrintable(explicitFile.error().message));
    }
};

QTEST_GUILESS_MAIN(SshConfigTest)
#include "unit_ssh_config.moc"
