// The SSH core against real OpenSSH servers: a jump host and a GPU host (and a second
// jump host) in network namespaces, where the workstation has no route to the GPU host,
// so only a real jump reaches it. Each case checks what happened on the far side.
#include "support_ssh_session.h"
#include "support_topology.h"

#include "RemoteProcess.h"
#include "SshClient.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using rdt::ErrorCode;

namespace {

QString errorText(const rdt::Error &error)
{
    return QStringLiteral("[code %1] %2").arg(int(error.code)).arg(error.message);
}

// Peak resident memory of this process, in KiB (VmHWM).
qint64 peakRssKib()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QRegularExpression pattern(QStringLiteral("VmHWM:\\s+(\\d+) kB"));
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(status.readAll()));
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

int acceptedLogins(const Topology &topo, const QString &host)
{
    QFile log(topo.hostLogFile(host));
    if (!log.open(QIODevice::ReadOnly))
        return -1;
    return int(log.readAll().count("Accepted publickey"));
}

} // namespace

class SshConnectionTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();

    rdt::SshRoute quickRoute(rdt::SshRoute route) const
    {
        // Short liveness settings so dead links are found within seconds in tests.
        for (rdt::SshHost *host : {&route.target}) {
            host->connectTimeoutSeconds = 5;
            host->serverAliveIntervalSeconds = 1;
            host->serverAliveCountMax = 3;
        }
        for (rdt::SshHost &jump : route.jumps) {
            jump.connectTimeoutSeconds = 5;
            jump.serverAliveIntervalSeconds = 1;
            jump.serverAliveCountMax = 3;
        }
        return route;
    }

    void control(const QString &verb, const QString &host)
    {
        QString error;
        QVERIFY2(m_topo.control(verb, host, &error), qPrintable(error));
    }

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
    }

    void commandThroughOneJump()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        const CommandRun run = runCommand(*c.client, commandOf({"sh", "-c", "hostname -I; echo to-stderr >&2; exit 7"}));
        QVERIFY2(run.finished && run.error.code == ErrorCode::None, qPrintable(errorText(run.error)));
        QCOMPARE(run.exitStatus, 7);
        QVERIFY2(run.out.contains(m_topo.gpuAddress().toUtf8()), run.out.constData());
        QCOMPARE(run.err, QByteArray("to-stderr\n"));
    }

    void commandThroughTwoJumps()
    {
        Connected c = connectRoute(m_topo.gpu2Route());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        const CommandRun run = runCommand(*c.client, commandOf({"hostname", "-I"}));
        QVERIFY2(run.finished && run.exitStatus == 0, qPrintable(errorText(run.error)));
        QVERIFY2(run.out.contains(m_topo.gpuAddress2().toUtf8()), run.out.constData());
    }

    void directAccessToGpuFails()
    {
        rdt::SshRoute direct;
        direct.target = m_topo.gpu();
        direct.target.connectTimeoutSeconds = 3;
        const Connected c = connectRoute(direct);
        QVERIFY(!c.client);
        QCOMPARE(c.error.code, ErrorCode::HostUnreachable);
        QVERIFY2(c.error.message.contains(m_topo.gpuAddress()), qPrintable(c.error.message));
        QVERIFY2(c.elapsedMs < 10000, qPrintable(QString::number(c.elapsedMs)));
    }

    void hashedKnownHostsAreRead()
    {
        rdt::SshRoute route = m_topo.gpuRoute();
        route.jumps[0].knownHostsFile = m_topo.hashedKnownHostsFile();
        route.target.knownHostsFile = m_topo.hashedKnownHostsFile();
        const Connected c = connectRoute(route);
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
    }

    void unknownHostKeyIsRefusedThenAccepted()
    {
        QTemporaryDir dir;
        const QString knownHosts = dir.filePath(QStringLiteral("ssh/known_hosts"));
        rdt::SshRoute route = m_topo.gpuRoute();
        route.jumps[0].knownHostsFile = knownHosts;   // the jump host is now unknown
        const int loginsBefore = acceptedLogins(m_topo, QStringLiteral("jump"));

        QList<rdt::HostKeyQuestion> asked;
        rdt::SshQuestions refuse;
        refuse.unknownHostKey = [&asked](const rdt::HostKeyQuestion &q) {
            asked.append(q);
            return rdt::HostKeyAnswer::Reject;
        };
        Connected refused = connectRoute(route, refuse);
        QVERIFY(!refused.client);
        QCOMPARE(refused.error.code, ErrorCode::HostKeyUnknown);
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked[0].host.contains(QLatin1String("jump")), qPrintable(asked[0].host));
        QVERIFY2(asked[0].fingerprint.startsWith(QLatin1String("SHA256:")), qPrintable(asked[0].fingerprint));
        QCOMPARE(asked[0].keyType, QStringLiteral("ssh-ed25519"));
        QVERIFY2(refused.error.message.contains(asked[0].fingerprint), qPrintable(refused.error.message));
        // Nothing was sent to the host whose key was refused: no login happened there.
        QCOMPARE(acceptedLogins(m_topo, QStringLiteral("jump")), loginsBefore);

        rdt::SshQuestions remember;
        remember.unknownHostKey = [](const rdt::HostKeyQuestion &) { return rdt::HostKeyAnswer::AcceptAndRemember; };
        Connected accepted = connectRoute(route, remember);
        QVERIFY2(accepted.client, qPrintable(errorText(accepted.error)));
        QVERIFY(QFile::exists(knownHosts));

        // Recorded: the next connection needs no answer.
        Connected again = connectRoute(route);
        QVERIFY2(again.client, qPrintable(errorText(again.error)));
    }

    void changedHostKeyIsRefusedBeforeAnyCommand()
    {
        // A known_hosts that records another key (the jump host's) for the GPU host: to
        // the client this is exactly what a replaced or impersonated server looks like.
        QFile original(m_topo.knownHostsFile());
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray jumpKey;
        QByteArrayList kept;
        for (const QByteArray &line : original.readAll().split('\n')) {
            const QByteArrayList fields = line.split(' ');
            if (fields.size() >= 3 && fields[0] == m_topo.jumpAddress().toUtf8())
                jumpKey = fields[1] + ' ' + fields[2];
            if (!line.startsWith(m_topo.gpuAddress().toUtf8()))
                kept.append(line);
        }
        QVERIFY(!jumpKey.isEmpty());
        kept.append(m_topo.gpuAddress().toUtf8() + ' ' + jumpKey);
        QTemporaryDir dir;
        const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
        QFile forged(knownHosts);
        QVERIFY(forged.open(QIODevice::WriteOnly));
        forged.write(kept.join('\n') + '\n');
        forged.close();

        rdt::SshRoute route = m_topo.gpuRoute();
        route.jumps[0].knownHostsFile = knownHosts;
        route.target.knownHostsFile = knownHosts;
        const int loginsBefore = acceptedLogins(m_topo, QStringLiteral("gpu"));
        bool asked = false;
        rdt::SshQuestions questions;
        questions.unknownHostKey = [&asked](const rdt::HostKeyQuestion &) {
            asked = true;
            return rdt::HostKeyAnswer::AcceptAndRemember;
        };
        const Connected c = connectRoute(route, questions);
        QVERIFY(!c.client);
        QCOMPARE(c.error.code, ErrorCode::HostKeyChanged);
        QVERIFY2(!asked, "a changed key must be refused, not offered for acceptance");
        QVERIFY2(c.error.message.contains(QLatin1String("gpu")), qPrintable(c.error.message));
        QCOMPARE(c.error.message.count(QLatin1String("SHA256:")), 2);   // old and new fingerprints
        QVERIFY2(c.error.message.contains(QLatin1String("ssh-keygen -R")), qPrintable(c.error.message));
        QCOMPARE(acceptedLogins(m_topo, QStringLiteral("gpu")), loginsBefore);
    }

    void revokedHostKeyIsRefusedNotOffered()
    {
        // known_hosts marks the GPU host's key "@revoked" and has no plain line for it:
        // libssh alone would call the key unknown and let the user accept it.
        QFile original(m_topo.knownHostsFile());
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArrayList lines;
        for (const QByteArray &line : original.readAll().split('\n')) {
            if (line.startsWith(m_topo.gpuAddress().toUtf8() + ' '))
                lines.append("@revoked * " + line.mid(line.indexOf(' ') + 1));
            else if (!line.isEmpty())
                lines.append(line);
        }
        QTemporaryDir dir;
        const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
        QFile file(knownHosts);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(lines.join('\n') + '\n');
        file.close();

        rdt::SshRoute route = m_topo.gpuRoute();
        route.jumps[0].knownHostsFile = knownHosts;
        route.target.knownHostsFile = knownHosts;
        bool asked = false;
        rdt::SshQuestions questions;
        questions.unknownHostKey = [&asked](const rdt::HostKeyQuestion &) {
            asked = true;
            return rdt::HostKeyAnswer::AcceptAndRemember;
        };
        const Connected c = connectRoute(route, questions);
        QVERIFY(!c.client);
        QCOMPARE(c.error.code, ErrorCode::HostKeyChanged);
        QVERIFY2(!asked, "a revoked key must be refused, not offered for acceptance");
        QVERIFY2(c.error.message.contains(QLatin1String("REVOKED")), qPrintable(c.error.message));
        QVERIFY2(c.error.message.contains(knownHosts), qPrintable(c.error.message));
    }

    void rememberedKeyAfterALastLineWithoutNewline()
    {
        // The user's file ends without a newline: the new entry must start a line of its own.
        QTemporaryDir dir;
        const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
        QFile original(m_topo.knownHostsFile());
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray kept;
        for (const QByteArray &line : original.readAll().split('\n')) {
            if (!line.isEmpty() && !line.startsWith(m_topo.gpuAddress().toUtf8() + ' '))
                kept += line + '\n';
        }
        kept += "# a comment the user typed last, without its newline";
        QFile file(knownHosts);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kept);
        file.close();

        rdt::SshRoute route = m_topo.gpuRoute();
        route.jumps[0].knownHostsFile = knownHosts;
        route.target.knownHostsFile = knownHosts;
        rdt::SshQuestions remember;
        remember.unknownHostKey = [](const rdt::HostKeyQuestion &) { return rdt::HostKeyAnswer::AcceptAndRemember; };
        Connected accepted = connectRoute(route, remember);
        QVERIFY2(accepted.client, qPrintable(errorText(accepted.error)));
        accepted.client.reset();
        Connected again = connectRoute(route);   // no question: the key was recorded and is read back
        QVERIFY2(again.client, qPrintable(errorText(again.error)));
    }

    void wrongIdentityGivesAuthenticationError()
    {
        rdt::SshRoute route = m_topo.gpuRoute();
        route.target.identityFiles = {m_topo.wrongKey()};
        const Connected c = connectRoute(route);
        QVERIFY(!c.client);
        QCOMPARE(c.error.code, ErrorCode::AuthFailed);
        QVERIFY2(c.error.message.contains(QLatin1String("gpu")), qPrintable(c.error.message));
        QVERIFY2(c.error.message.contains(m_topo.wrongKey()), qPrintable(c.error.message));
        QVERIFY2(c.error.message.contains(QLatin1String("publickey")), qPrintable(c.error.message));
    }

    void passphraseComesFromTheQuestion()
    {
        rdt::SshRoute route = m_topo.gpuRoute();
        route.target.identityFiles = {m_topo.passphraseKey()};
        QStringList prompts;
        QList<rdt::SecretPrompt::Kind> kinds;
        rdt::SshQuestions questions;
        questions.secret = [&prompts, &kinds](const rdt::SecretPrompt &prompt) -> std::optional<QByteArray> {
            prompts.append(prompt.prompt);
            kinds.append(prompt.kind);
            return Topology::keyPassphrase().toUtf8();
        };
        Connected c = connectRoute(route, questions);
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        QCOMPARE(prompts.size(), 1);
        QVERIFY2(prompts[0].contains(m_topo.passphraseKey()), qPrintable(prompts[0]));
        // Told apart from the server's questions and passwords, which the same dialog shows.
        QCOMPARE(kinds[0], rdt::SecretPrompt::Kind::KeyPassphrase);
        QVERIFY2(prompts[0].contains(QLatin1String("your local key")) && prompts[0].contains(QLatin1String("not sent to the server")),
                 qPrintable(prompts[0]));

        rdt::SshQuestions wrong;
        wrong.secret = [](const rdt::SecretPrompt &) -> std::optional<QByteArray> { return QByteArray("wrong"); };
        const Connected refused = connectRoute(route, wrong);
        QCOMPARE(refused.error.code, ErrorCode::AuthFailed);
        QVERIFY2(refused.error.message.contains(QLatin1String("wrong passphrase")), qPrintable(refused.error.message));
    }

    void argumentsArriveExactly()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        const QList<QByteArray> hostile = {
            "plain", "with space", "'single'", "\"double\"", "$(touch /tmp/rdt-pwned)", "`id`", "$HOME",
            "semi;colon", "pipe|amp&", "new\nline", "tab\there", "back\\slash", "*", "-n", "--", "",
            "ünïcødé ✓", "it's", "'\\''", "#comment", "~root", "\x01\x7f",
        };
        rdt::CommandSpec spec;
        spec.argv = {"printf", "%s\\0"};
        spec.argv += hostile;
        const CommandRun run = runCommand(*c.client, spec);
        QVERIFY2(run.finished && run.exitStatus == 0, qPrintable(errorText(run.error) + run.err));
        QByteArray expected;
        for (const QByteArray &argument : hostile)
            expected += argument + '\0';
        QCOMPARE(run.out, expected);
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/rdt-pwned")));
    }

    void environmentArrivesExactly()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        rdt::CommandSpec spec = commandOf({"sh", "-c", "printf '%s|%s' \"$RDT_A\" \"$RDT_B\""});
        spec.environment = {{"RDT_A", "x y $(id) 'q'"}, {"RDT_B", "line1\nline2"}};
        const CommandRun run = runCommand(*c.client, spec);
        QVERIFY2(run.finished && run.exitStatus == 0, qPrintable(errorText(run.error) + run.err));
        QCOMPARE(run.out, QByteArray("x y $(id) 'q'|line1\nline2"));

        rdt::CommandSpec bad = commandOf({"true"});
        bad.environment = {{"NOT VALID", "x"}};
        const CommandRun refused = runCommand(*c.client, bad);
        QCOMPARE(refused.error.code, ErrorCode::InvalidArgument);
    }

    void hundredSequentialCommandsOnOneConnection()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        const int loginsBefore = acceptedLogins(m_topo, QStringLiteral("gpu"));
        for (int i = 0; i < 100; ++i) {
            const QByteArray number = QByteArray::number(i);
            rdt::CommandSpec spec;
            spec.argv = {"echo", number};
            const CommandRun run = runCommand(*c.client, spec, 10000);
            QVERIFY2(run.finished && run.exitStatus == 0, qPrintable(errorText(run.error)));
            QCOMPARE(run.out, number + '\n');
        }
        QCOMPARE(acceptedLogins(m_topo, QStringLiteral("gpu")), loginsBefore);   // one connection
    }

    void eightConcurrentChannels()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        QList<rdt::RemoteProcess *> processes;
        QHash<rdt::RemoteProcess *, QByteArray> outputs;
        int finished = 0;
        QEventLoop loop;
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 8; ++i) {
            // Each sleeps 1 s: run one after another they would take 8 s.
            rdt::CommandSpec spec = commandOf({"sh", "-c", "sleep 1; echo $0", QByteArray::number(i).constData()});
            rdt::RemoteProcess *process = c.client->start(spec);
            processes.append(process);
            connect(process, &rdt::RemoteProcess::standardOutput, &loop,
                    [&outputs, process](const QByteArray &data) { outputs[process] += data; });
            connect(process, &rdt::RemoteProcess::finished, &loop, [&] {
                if (++finished == 8)
                    loop.quit();
            });
        }
        QTimer::singleShot(20000, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(finished, 8);
        QVERIFY2(timer.elapsed() < 6000, qPrintable(QString::number(timer.elapsed())));
        for (int i = 0; i < 8; ++i) {
            QCOMPARE(processes[i]->exitStatus(), 0);
            QCOMPARE(outputs[processes[i]], QByteArray::number(i) + '\n');
        }
    }

    void hundredMegabytesStreamed()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        const qint64 before = peakRssKib();
        const CommandRun run = runCommand(*c.client, commandOf({"head", "-c", "100000000", "/dev/zero"}), 120000, false);
        QVERIFY2(run.finished && run.exitStatus == 0, qPrintable(errorText(run.error)));
        QCOMPARE(run.bytesOut, qint64(100000000));
        const qint64 growthKib = peakRssKib() - before;
        qInfo("100 MB in %lld ms, peak memory grew by %lld KiB", run.elapsedMs, growthKib);
        QVERIFY2(growthKib < 50 * 1024, qPrintable(QStringLiteral("peak memory grew by %1 KiB").arg(growthKib)));
    }

    void timeoutAndCancelEndTheCommand()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        rdt::CommandSpec slow = commandOf({"sleep", "30"});
        slow.timeoutMs = 1000;
        const CommandRun timedOut = runCommand(*c.client, slow, 10000);
        QVERIFY(timedOut.finished);
        QCOMPARE(timedOut.error.code, ErrorCode::Timeout);
        QVERIFY2(timedOut.elapsedMs < 5000, qPrintable(QString::number(timedOut.elapsedMs)));

        rdt::RemoteProcess *process = c.client->start(commandOf({"sleep", "30"}));
        QSignalSpy finished(process, &rdt::RemoteProcess::finished);
        QTimer::singleShot(300, process, &rdt::RemoteProcess::cancel);
        QVERIFY(finished.wait(5000));
        QCOMPARE(process->error().code, ErrorCode::Cancelled);

        // The connection is still usable afterwards.
        const CommandRun after = runCommand(*c.client, commandOf({"true"}));
        QVERIFY2(after.finished && after.exitStatus == 0, qPrintable(errorText(after.error)));
    }

    void stoppedJumpHostIsNamedWithinTheTimeout()
    {
        control(QStringLiteral("stop"), QStringLiteral("jump"));
        const Connected c = connectRoute(quickRoute(m_topo.gpuRoute()));
        control(QStringLiteral("start"), QStringLiteral("jump"));
        QVERIFY(!c.client);
        QCOMPARE(c.error.code, ErrorCode::HostUnreachable);
        QVERIFY2(c.error.message.contains(QLatin1String("jump host jump")), qPrintable(c.error.message));
        QVERIFY2(c.elapsedMs < 6000, qPrintable(QString::number(c.elapsedMs)));
    }

    void deadJumpLinkIsReportedAsTheJumpHost()
    {
        Connected c = connectRoute(quickRoute(m_topo.gpuRoute()));
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        QSignalSpy lost(c.client.get(), &rdt::SshClient::connectionLost);
        rdt::RemoteProcess *process = c.client->start(commandOf({"sleep", "60"}));
        QSignalSpy finished(process, &rdt::RemoteProcess::finished);
        control(QStringLiteral("cut"), QStringLiteral("jump"));
        QElapsedTimer timer;
        timer.start();
        const bool noticed = finished.wait(15000);
        control(QStringLiteral("heal"), QStringLiteral("jump"));
        QVERIFY2(noticed, "a dead link must end the command, not hang");
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(process->error().code, ErrorCode::ConnectionLost);
        QVERIFY2(process->error().message.contains(QLatin1String("jump")), qPrintable(process->error().message));
        QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, 5000);
    }

    void killedServerEndsTheCommandWithAnError()
    {
        Connected c = connectRoute(quickRoute(m_topo.gpuRoute()));
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        rdt::RemoteProcess *process = c.client->start(commandOf({"sleep", "60"}));
        QSignalSpy finished(process, &rdt::RemoteProcess::finished);
        QTest::qWait(300);
        control(QStringLiteral("kill"), QStringLiteral("gpu"));
        const bool noticed = finished.wait(15000);
        control(QStringLiteral("start"), QStringLiteral("gpu"));
        QVERIFY2(noticed, "a killed server must end the command, not hang");
        QVERIFY(process->error().code != ErrorCode::None);
        QVERIFY2(process->error().message.contains(QLatin1String("gpu")) || process->error().message.contains(QLatin1String("jump")),
                 qPrintable(process->error().message));
    }

    // Last: the server's real key changes, which every later connection would refuse.
    void rekeyedServerIsRefused()
    {
        control(QStringLiteral("rekey"), QStringLiteral("gpu"));
        const Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY(!c.client);
        QCOMPARE(c.error.code, ErrorCode::HostKeyChanged);
    }

};

QTEST_GUILESS_MAIN(SshConnectionTest)
#include "sshd_connection.moc"
