// rdtctl as a user runs it: through the topology's ssh_config, output and exit status
// passed through, host keys refused unless --accept-new-host-keys (which records them),
// and `check --json` on the GPU host.
#include "support_rdtctl.h"
#include "support_topology.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

CliRun rdtctl(const QStringList &arguments)
{
    // A home of its own, so the checksum cache and the like never touch the real one.
    static QTemporaryDir home;
    return runRdtctl(arguments, home.path(), 60000);
}

} // namespace

class RdtctlTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
    }

    void execPassesOutputAndStatusThrough()
    {
        const CliRun run = rdtctl({QStringLiteral("-F"), m_topo.sshConfigFile(), QStringLiteral("exec"), QStringLiteral("gpu"),
                                   QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                                   QStringLiteral("printf '%s' \"$1\"; echo oops >&2; exit 42"), QStringLiteral("sh"),
                                   QStringLiteral("a b 'c' $(d)")});
        QCOMPARE(run.exitCode, 42);
        // exec passes everything through, as ssh does: a login banner too (remote.rdtctl_banner).
        const QByteArray banner = qEnvironmentVariableIntValue("RDT_TOPO_BANNER") == 1
            ? QByteArray("Welcome to the GPU server\ndir ok\n0 0 644\nd41d8cd98f00b204e9800998ecf8427e  -\nno newline here")
            : QByteArray();
        QCOMPARE(run.out, banner + QByteArray("a b 'c' $(d)"));
        QCOMPARE(run.err, (banner.isEmpty() ? QByteArray() : QByteArray("Last login: never")) + QByteArray("oops\n"));
    }

    void jumpFromTheCommandLine()
    {
        // -J with user@host, no alias for the target: like `ssh -J root@JUMP root@GPU`.
        const CliRun run = rdtctl({QStringLiteral("-F"), m_topo.sshConfigFile(), QStringLiteral("-J"),
                                   QStringLiteral("root@%1").arg(m_topo.jumpAddress()), QStringLiteral("exec"),
                                   QStringLiteral("root@%1").arg(m_topo.gpuAddress()), QStringLiteral("--"),
                                   QStringLiteral("hostname"), QStringLiteral("-I")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.out.contains(m_topo.gpuAddress().toUtf8()));
    }

    void unknownKeysAreRefusedUnlessAccepted()
    {
        QTemporaryDir dir;
        const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
        const QStringList base = {QStringLiteral("-F"), m_topo.sshConfigFile(), QStringLiteral("--known-hosts"), knownHosts};
        const CliRun refused = rdtctl(base + QStringList{QStringLiteral("exec"), QStringLiteral("gpu"), QStringLiteral("--"), QStringLiteral("true")});
        QCOMPARE(refused.exitCode, 255);
        QVERIFY2(refused.err.contains("--accept-new-host-keys"), refused.err.constData());
        QVERIFY2(refused.err.contains("SHA256:"), refused.err.constData());

        const CliRun accepted = rdtctl(base + QStringList{QStringLiteral("--accept-new-host-keys"), QStringLiteral("exec"),
                                                          QStringLiteral("gpu"), QStringLiteral("--"), QStringLiteral("true")});
        QVERIFY2(accepted.exitCode == 0, accepted.err.constData());
        QFile file(knownHosts);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray recorded = file.readAll();
        QVERIFY2(recorded.contains(m_topo.jumpAddress().toUtf8()), recorded.constData());
        QVERIFY2(recorded.contains(m_topo.gpuAddress().toUtf8()), recorded.constData());

        const CliRun again = rdtctl(base + QStringList{QStringLiteral("exec"), QStringLiteral("gpu"), QStringLiteral("--"), QStringLiteral("true")});
        QVERIFY2(again.exitCode == 0, again.err.constData());
    }

    void checkPrintsJson()
    {
        QTemporaryDir root;
        const CliRun run = rdtctl({QStringLiteral("-F"), m_topo.sshConfigFile(), QStringLiteral("check"), QStringLiteral("gpu"),
                                   QStringLiteral("--root"), root.path(), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 2);   // no NVIDIA driver and no trainer on the test host
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(run.out, &error);
        QVERIFY2(!document.isNull(), qPrintable(error.errorString()));
        QCOMPARE(document.object().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        const QJsonArray items = document.object().value(QStringLiteral("items")).toArray();
        QVERIFY(items.size() >= 9);
        QCOMPARE(items.at(0).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("gpus"));
        QCOMPARE(items.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    }

    // rdtctl asks for a key's passphrase on its terminal with echo off; Ctrl-C there must
    // not leave the user's shell without echo. A pseudo-terminal stands in for the user's.
    void ctrlCAtThePassphrasePromptRestoresEcho()
    {
        static const char kDriver[] = R"PY(
import os, select, sys, termios, time
master, slave = os.openpty()
pid = os.fork()
if pid == 0:
    os.close(master)
    os.login_tty(slave)
    os.execv(sys.argv[1], sys.argv[1:])
seen = b''
deadline = time.time() + 90
while b'assphrase' not in seen and time.time() < deadline:
    if select.select([master], [], [], 1)[0]:
        try:
            seen += os.read(master, 4096)
        except OSError:
            break
if b'assphrase' not in seen:
    print('no passphrase prompt; saw: %r' % seen); sys.exit(2)
time.sleep(0.5)
os.write(master, b'\x03')
_, status = os.waitpid(pid, 0)
echo = termios.tcgetattr(slave)[3] & termios.ECHO
print('status %d echo %s' % (status, 'on' if echo else 'off'))
)PY";
        static QTemporaryDir home;
        QProcess driver;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), home.path());
        environment.remove(QStringLiteral("SSH_AUTH_SOCK"));
        driver.setProcessEnvironment(environment);
        driver.start(QStringLiteral("python3"),
                     {QStringLiteral("-c"), QString::fromLatin1(kDriver), QStringLiteral(RDT_RDTCTL_BINARY),
                      QStringLiteral("-F"), m_topo.sshConfigFile(), QStringLiteral("-i"), m_topo.passphraseKey(),
                      QStringLiteral("exec"), QStringLiteral("gpu"), QStringLiteral("--"), QStringLiteral("true")});
        QVERIFY(driver.waitForFinished(150000));
        const QByteArray said = driver.readAllStandardOutput() + driver.readAllStandardError();
        QVERIFY2(said.contains("echo on"), said.constData());
        // Ended by the signal itself (status 2: SIGINT), as a program Ctrl-C ends should be.
        QVERIFY2(said.contains("status 2 "), said.constData());
    }

    void unreachableHostExits255WithTheReason()
    {
        const CliRun run = rdtctl({QStringLiteral("--connect-timeout"), QStringLiteral("3"), QStringLiteral("exec"),
                                   QStringLiteral("root@%1").arg(m_topo.gpuAddress()), QStringLiteral("--"), QStringLiteral("true")});
        QCOMPARE(run.exitCode, 255);
        QVERIFY2(run.err.contains(m_topo.gpuAddress().toUtf8()), run.err.constData());
    }

    void checkComparesLocalCopiesAndStatistics()
    {
        QTemporaryDir local;
        QTemporaryDir root;
        QDir(root.path()).mkpath(QStringLiteral("datasets"));
        QDir(root.path()).mkpath(QStringLiteral("configs"));
        const QByteArray data(300000, 'd');
        const QByteArray md5 = QCryptographicHash::hash(data, QCryptographicHash::Md5).toHex();
        for (const QString &path : {local.filePath(QStringLiteral("libero.hdf5")), root.filePath(QStringLiteral("datasets/libero.hdf5"))}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(data);
        }
        QFile stats(root.filePath(QStringLiteral("configs/dataset_stat.json")));
        QVERIFY(stats.open(QIODevice::WriteOnly));
        stats.write("{\"libero\": {\"dataset_name\": \"libero\", \"md5\": \"" + md5 + "\", \"state_mean\": [0]}}");
        stats.close();

        auto itemOf = [](const QByteArray &json, const QString &id) {
            const QJsonArray items = QJsonDocument::fromJson(json).object().value(QStringLiteral("items")).toArray();
            for (const QJsonValue &item : items)
                if (item.toObject().value(QStringLiteral("id")).toString() == id)
                    return item.toObject();
            return QJsonObject();
        };
        const QStringList arguments = {QStringLiteral("-F"), m_topo.sshConfigFile(), QStringLiteral("check"), QStringLiteral("gpu"),
                                       QStringLiteral("--root"), root.path(), QStringLiteral("--json"), QStringLiteral("--dataset"),
                                       local.filePath(QStringLiteral("libero.hdf5"))};
        const CliRun same = rdtctl(arguments);
        QCOMPARE(itemOf(same.out, QStringLiteral("dataset-checksum")).value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        const QJsonObject valid = itemOf(same.out, QStringLiteral("dataset-statistics"));
        QCOMPARE(valid.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QVERIFY2(valid.value(QStringLiteral("detail")).toString().contains(QLatin1String("valid")), same.out.constData());

        // The server's dataset changes: it no longer matches, and its statistics are stale.
        QFile changed(root.filePath(QStringLiteral("datasets/libero.hdf5")));
        QVERIFY(changed.open(QIODevice::Append));
        changed.write("more");
        changed.close();
        const CliRun different = rdtctl(arguments);
        QCOMPARE(itemOf(different.out, QStringLiteral("dataset-checksum")).value(QStringLiteral("status")).toString(), QStringLiteral("warning"));
        const QJsonObject stale = itemOf(different.out, QStringLiteral("dataset-statistics"));
        QVERIFY2(stale.value(QStringLiteral("detail")).toString().contains(QLatin1String("recompute")), different.out.constData());
        QVERIFY2(stale.value(QStringLiteral("detail")).toString().contains(QString::fromLatin1(md5)), different.out.constData());
    }
};

QTEST_GUILESS_MAIN(RdtctlTest)
#include "sshd_rdtctl.moc"
