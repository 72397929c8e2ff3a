// Checks the throwaway SSH topology itself with OpenSSH's own client, so a broken topology
// shows up here and not as puzzling failures in the remote/ tests: routes, keys, PATH on the
// gpu host, its full-disk and read-only mounts, and each control command (stop, kill, cut, rekey).
#include "support_topology.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QtTest>

namespace {

struct SshRun {
    int exitCode = -1;
    bool finished = false;
    QByteArray out;
    QString err;
    qint64 elapsedMs = 0;
};

SshRun runProgram(const QString &program, const QStringList &args, int timeoutMs = 20000)
{
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    process.start(program, args);
    SshRun run;
    run.finished = process.waitForFinished(timeoutMs);
    if (!run.finished)
        process.kill();
    process.waitForFinished(2000);
    run.elapsedMs = timer.elapsed();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = QString::fromLocal8Bit(process.readAllStandardError());
    if (run.err.isEmpty() && process.error() == QProcess::FailedToStart)
        run.err = process.errorString();
    return run;
}

QString describe(const SshRun &run)
{
    return QStringLiteral("exit %1 after %2 ms, stdout '%3', stderr '%4'")
        .arg(run.exitCode)
        .arg(run.elapsedMs)
        .arg(QString::fromLocal8Bit(run.out).trimmed(), run.err.trimmed());
}

} // namespace

class TopologySelfTest : public QObject {
    Q_OBJECT

private:
    Topology m_topology = Topology();

    // OpenSSH through the topology's ssh_config (aliases jump, jump2, gpu, gpu2hop).
    SshRun ssh(const QStringList &args, int timeoutMs = 20000) const
    {
        return runProgram(QStringLiteral("ssh"),
                          QStringList{QStringLiteral("-F"), m_topology.sshConfigFile()} + args, timeoutMs);
    }

    // A control command that must work; fails the test with the script's message if not.
    void control(const QString &verb, const QString &host)
    {
        QString error;
        const bool ok = m_topology.control(verb, host, &error);
        QVERIFY2(ok, qPrintable(error));
    }

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topology = Topology::fromEnvironment();
        QVERIFY2(topology.has_value(),
                 "RDT_TOPO_DIR etc. are not set: run this test as "
                 "`tests/sshd/topology run <test>` (ctest does)");
        m_topology = *topology;
    }

    void environmentAndFiles()
    {
        QCOMPARE(m_topology.jumpAddress(), QStringLiteral("192.0.2.10"));
        QCOMPARE(m_topology.gpu().user, QStringLiteral("root"));
        QCOMPARE(m_topology.gpuRoute().jumps.size(), 1);
        QCOMPARE(m_topology.gpu2Route().jumps.size(), 2);
        QCOMPARE(m_topology.gpu2Route().target.hostName, m_topology.gpuAddress2());
        QVERIFY(QFileInfo(m_topology.script()).isExecutable());
        for (const QString &file : {m_topology.clientKey(), m_topology.passphraseKey(), m_topology.wrongKey(),
                                    m_topology.knownHostsFile(), m_topology.hashedKnownHostsFile(),
                                    m_topology.sshConfigFile(), m_topology.hostLogFile(QStringLiteral("gpu"))})
            QVERIFY2(QFile::exists(file), qPrintable(file + QStringLiteral(" is missing")));
        QVERIFY(QDir(m_topology.gpuBinDir()).isEmpty());
        // gpu's mounts live in its own mount namespace: here, plain empty folders.
        for (const QString &dir : {m_topology.gpuSmallDiskDir(), m_topology.gpuReadOnlyDir()})
            QVERIFY2(QDir(dir).exists() && QDir(dir).isEmpty(), qPrintable(dir));

        // Every address of every server is in known_hosts; the hashed copy hides them.
        QFile plain(m_topology.knownHostsFile());
        QVERIFY(plain.open(QIODevice::ReadOnly));
        const QByteArray known = plain.readAll();
        for (const QString &addr : {m_topology.jumpAddress(), m_topology.jump2Address(), m_topology.gpuAddress(),
                                    m_topology.gpuAddress2()})
            QVERIFY2(known.contains((addr + QStringLiteral(" ssh-ed25519 ")).toUtf8()), qPrintable(addr));
        QFile hashed(m_topology.hashedKnownHostsFile());
        QVERIFY(hashed.open(QIODevice::ReadOnly));
        const QByteArray hashedText = hashed.readAll();
        QVERIFY(hashedText.startsWith("|1|"));
        QVERIFY(!hashedText.contains(m_topology.gpuAddress().toUtf8()));
    }

    void oneHop()
    {
        const SshRun run = ssh({QStringLiteral("gpu"), QStringLiteral("echo ok; echo $SSH_CONNECTION")});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        const QList<QByteArray> lines = run.out.split('\n');
        QCOMPARE(lines.value(0), QByteArray("ok"));
        // The connection to gpu comes from jump's address on their shared link.
        QVERIFY2(lines.value(1).startsWith("198.51.100.1 "), qPrintable(describe(run)));
    }

    void twoHops()
    {
        const SshRun run = ssh({QStringLiteral("gpu2hop"), QStringLiteral("echo $SSH_CONNECTION")});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        // gpu's 203.0.113.x side is reachable only from jump2.
        QVERIFY2(run.out.startsWith("203.0.113.1 "), qPrintable(describe(run)));
        QVERIFY2(run.out.trimmed().endsWith((m_topology.gpuAddress2() + QStringLiteral(" 22")).toUtf8()),
                 qPrintable(describe(run)));
    }

    void directAccessFails()
    {
        for (const QString &addr : {m_topology.gpuAddress(), m_topology.gpuAddress2(), m_topology.jump2Address()}) {
            const SshRun run = ssh({QStringLiteral("-o"), QStringLiteral("ConnectTimeout=3"),
                                    QStringLiteral("root@") + addr, QStringLiteral("echo reached")});
            QVERIFY2(run.exitCode != 0 && !run.out.contains("reached"), qPrintable(describe(run)));
            QVERIFY2(run.err.contains(QStringLiteral("unreachable")), qPrintable(describe(run)));
        }
    }

    void hashedKnownHosts()
    {
        const SshRun run = ssh({QStringLiteral("-o"),
                                QStringLiteral("UserKnownHostsFile=") + m_topology.hashedKnownHostsFile(),
                                QStringLiteral("gpu2hop"), QStringLiteral("true")});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
    }

    void wrongKeyIsRefused()
    {
        // Without the ssh_config, whose IdentityFile would be offered as well.
        const SshRun run = runProgram(
            QStringLiteral("ssh"),
            {QStringLiteral("-F"), QStringLiteral("/dev/null"), QStringLiteral("-i"), m_topology.wrongKey(),
             QStringLiteral("-o"), QStringLiteral("IdentitiesOnly=yes"), QStringLiteral("-o"),
             QStringLiteral("BatchMode=yes"), QStringLiteral("-o"),
             QStringLiteral("UserKnownHostsFile=") + m_topology.knownHostsFile(), QStringLiteral("-o"),
             QStringLiteral("StrictHostKeyChecking=yes"),
             QStringLiteral("root@") + m_topology.jumpAddress(), QStringLiteral("echo in")});
        QVERIFY2(run.exitCode != 0 && !run.out.contains("in"), qPrintable(describe(run)));
        QVERIFY2(run.err.contains(QStringLiteral("Permission denied")), qPrintable(describe(run)));
    }

    void passphraseKey()
    {
        const SshRun good = runProgram(QStringLiteral("ssh-keygen"),
                                       {QStringLiteral("-y"), QStringLiteral("-P"), Topology::keyPassphrase(),
                                        QStringLiteral("-f"), m_topology.passphraseKey()});
        QVERIFY2(good.exitCode == 0 && good.out.startsWith("ssh-ed25519 "), qPrintable(describe(good)));
        QFile authorized(m_topology.dir() + QStringLiteral("/authorized_keys"));
        QVERIFY(authorized.open(QIODevice::ReadOnly));
        QVERIFY(authorized.readAll().contains(good.out.split(' ').value(1)));
        const SshRun bad = runProgram(QStringLiteral("ssh-keygen"),
                                      {QStringLiteral("-y"), QStringLiteral("-P"), QStringLiteral("wrong"),
                                       QStringLiteral("-f"), m_topology.passphraseKey()});
        QVERIFY2(bad.exitCode != 0, qPrintable(describe(bad)));
    }

    void gpuBinIsOnPath()
    {
        QString error;
        QVERIFY2(m_topology.installGpuTool(QStringLiteral("nvidia-smi"), "#!/bin/sh\necho fake-smi \"$@\"\n", &error),
                 qPrintable(error));
        const SshRun run = ssh({QStringLiteral("gpu"), QStringLiteral("command -v nvidia-smi; nvidia-smi -L")});
        QFile::remove(m_topology.gpuBinDir() + QStringLiteral("/nvidia-smi"));
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QCOMPARE(QString::fromLocal8Bit(run.out),
                 m_topology.gpuBinDir() + QStringLiteral("/nvidia-smi\nfake-smi -L\n"));
    }

    void gpuSmallDiskFillsUp()
    {
        const QString dir = m_topology.gpuSmallDiskDir();
        const SshRun df = ssh({QStringLiteral("gpu"),
                               QStringLiteral("stat -f -c %T '%1' && df -P '%1' | tail -n 1").arg(dir)});
        QVERIFY2(df.exitCode == 0, qPrintable(describe(df)));
        const QList<QByteArray> lines = df.out.split('\n');
        QCOMPARE(lines.value(0), QByteArray("tmpfs"));
        // "Filesystem 1024-blocks Used Available Capacity Mounted-on": 8 MiB, mounted right there.
        const QList<QByteArray> fields = lines.value(1).simplified().split(' ');
        QVERIFY2(fields.size() == 6 && fields.value(1) == "8192" && fields.value(5) == dir.toUtf8(),
                 qPrintable(describe(df)));

        // 9 MiB do not fit; the file is removed again so later tests find the disk empty.
        const SshRun fill = ssh({QStringLiteral("gpu"),
                                 QStringLiteral("head -c 9437184 /dev/zero >'%1/fill'; rc=$?; rm -f '%1/fill'; exit $rc")
                                     .arg(dir)});
        QVERIFY2(fill.exitCode != 0, qPrintable(describe(fill)));
        QVERIFY2(fill.err.contains(QStringLiteral("No space left on device")), qPrintable(describe(fill)));
        QVERIFY2(QDir(dir).isEmpty(), "the gpu host's tmpfs shows through on ws");
    }

    void gpuReadOnlyRefusesRoot()
    {
        const QString dir = m_topology.gpuReadOnlyDir();
        const SshRun read = ssh({QStringLiteral("gpu"), QStringLiteral("whoami; cat '%1/existing.txt'").arg(dir)});
        QVERIFY2(read.exitCode == 0 && read.out.startsWith("root\n") && read.out.size() > 5, qPrintable(describe(read)));
        for (const QString &write : {QStringLiteral("touch '%1/x'"), QStringLiteral("echo new >'%1/existing.txt'"),
                                     QStringLiteral("rm '%1/existing.txt'")}) {
            const SshRun run = ssh({QStringLiteral("gpu"), write.arg(dir)});
            QVERIFY2(run.exitCode != 0, qPrintable(describe(run)));
            QVERIFY2(run.err.contains(QStringLiteral("Read-only file system")), qPrintable(describe(run)));
        }
        const SshRun after = ssh({QStringLiteral("gpu"), QStringLiteral("cat '%1/existing.txt'").arg(dir)});
        QCOMPARE(after.out, read.out.mid(5));
    }

    void stoppedJumpIsRefusedThenStartsAgain()
    {
        control(QStringLiteral("stop"), QStringLiteral("jump"));
        const SshRun down = ssh({QStringLiteral("gpu"), QStringLiteral("echo reached")});
        QVERIFY2(down.exitCode != 0 && !down.out.contains("reached"), qPrintable(describe(down)));
        QVERIFY2(down.err.contains(QStringLiteral("Connection refused")), qPrintable(describe(down)));
        control(QStringLiteral("start"), QStringLiteral("jump"));
        const SshRun up = ssh({QStringLiteral("gpu"), QStringLiteral("echo reached")});
        QVERIFY2(up.exitCode == 0 && up.out == "reached\n", qPrintable(describe(up)));
    }

    void stopKeepsSessions()
    {
        QProcess session;
        session.start(QStringLiteral("ssh"), {QStringLiteral("-F"), m_topology.sshConfigFile(), QStringLiteral("gpu"),
                                              QStringLiteral("echo started; sleep 1; echo survived")});
        QVERIFY(session.waitForReadyRead(20000));
        control(QStringLiteral("stop"), QStringLiteral("gpu"));
        QVERIFY(session.waitForFinished(20000));
        QCOMPARE(session.exitCode(), 0);
        QCOMPARE(session.readAll(), QByteArray("started\nsurvived\n"));
        control(QStringLiteral("start"), QStringLiteral("gpu"));
    }

    void killEndsSessions()
    {
        const QString mounts = QStringLiteral("stat -f -c %T '%1' '%2' && ls -A '%1'")
                                   .arg(m_topology.gpuSmallDiskDir(), m_topology.gpuReadOnlyDir());
        const SshRun mark = ssh({QStringLiteral("gpu"),
                                 QStringLiteral("touch '%1/before-kill'").arg(m_topology.gpuSmallDiskDir())});
        QVERIFY2(mark.exitCode == 0, qPrintable(describe(mark)));
        QProcess session;
        session.start(QStringLiteral("ssh"), {QStringLiteral("-F"), m_topology.sshConfigFile(), QStringLiteral("gpu"),
                                              QStringLiteral("echo started; sleep 30; echo survived")});
        QVERIFY(session.waitForReadyRead(20000));
        QElapsedTimer timer;
        timer.start();
        control(QStringLiteral("kill"), QStringLiteral("gpu"));
        QVERIFY2(session.waitForFinished(5000), "ssh still runs 5 s after its server was killed");
        QVERIFY(session.exitCode() != 0);
        QVERIFY(!session.readAll().contains("survived"));
        QVERIFY(timer.elapsed() < 5000);
        const SshRun dead = ssh({QStringLiteral("gpu"), QStringLiteral("true")});
        QVERIFY2(dead.exitCode != 0, qPrintable(describe(dead)));
        control(QStringLiteral("start"), QStringLiteral("gpu"));
        const SshRun back = ssh({QStringLiteral("gpu"), QStringLiteral("echo back")});
        QVERIFY2(back.exitCode == 0 && back.out == "back\n", qPrintable(describe(back)));
        // The restarted sshd has its mounts again, the tmpfs empty.
        const SshRun remounted = ssh({QStringLiteral("gpu"), mounts});
        QVERIFY2(remounted.exitCode == 0 && remounted.out == "tmpfs\ntmpfs\n", qPrintable(describe(remounted)));
    }

    void cutLinkTimesOutThenHeals()
    {
        control(QStringLiteral("cut"), QStringLiteral("gpu"));
        // A dead link answers nothing: the connect through jump runs into the timeout
        // instead of being refused at once.
        const SshRun cut = ssh({QStringLiteral("-o"), QStringLiteral("ConnectTimeout=2"), QStringLiteral("gpu"),
                                QStringLiteral("echo reached")});
        control(QStringLiteral("heal"), QStringLiteral("gpu"));
        QVERIFY2(cut.exitCode != 0 && !cut.out.contains("reached"), qPrintable(describe(cut)));
        QVERIFY2(cut.elapsedMs >= 1500, qPrintable(describe(cut)));
        QVERIFY2(!cut.err.contains(QStringLiteral("refused")), qPrintable(describe(cut)));
        const SshRun healed = ssh({QStringLiteral("gpu"), QStringLiteral("echo healed")});
        QVERIFY2(healed.exitCode == 0 && healed.out == "healed\n", qPrintable(describe(healed)));
    }

    // Last: afterwards gpu no longer matches known_hosts.
    void rekeyIsRefused()
    {
        control(QStringLiteral("rekey"), QStringLiteral("gpu"));
        const QString marker = m_topology.dir() + QStringLiteral("/rekey-command-ran");
        for (const QString &alias : {QStringLiteral("gpu"), QStringLiteral("gpu2hop")}) {
            const SshRun run = ssh({alias, QStringLiteral("touch ") + marker});
            QVERIFY2(run.exitCode != 0, qPrintable(describe(run)));
            QVERIFY2(run.err.contains(QStringLiteral("REMOTE HOST IDENTIFICATION HAS CHANGED")),
                     qPrintable(describe(run)));
        }
        QVERIFY2(!QFile::exists(marker), "a command ran on a host whose key changed");
        // jump is untouched.
        const SshRun jump = ssh({QStringLiteral("jump"), QStringLiteral("true")});
        QVERIFY2(jump.exitCode == 0, qPrintable(describe(jump)));
    }
};

QTEST_GUILESS_MAIN(TopologySelfTest)
#include "sshd_topology_selftest.moc"
