// A connection's channel budget against real OpenSSH servers at their MaxSessions (the
// topology's, OpenSSH's default 10 unless RDT_TOPO_MAX_SESSIONS says otherwise): more
// commands at once than the server allows all complete with their own output, followers
// that run until cancelled never starve short commands, and a large standard input
// reaches the command whole through the jump host (also under RDT_TOPO_REKEY_LIMIT).
#include "support_ssh_session.h"
#include "support_topology.h"

#include "RemoteProcess.h"
#include "SshClient.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QtTest>

#include <limits>
#include <map>

using rdt::ErrorCode;

namespace {

QString errorText(const rdt::Error &error)
{
    return QStringLiteral("[code %1] %2").arg(int(error.code)).arg(error.message);
}

int serverMaxSessions()
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue("RDT_TOPO_MAX_SESSIONS", &ok);
    return ok ? value : 10;   // tests/sshd/topology's default, OpenSSH's own
}

// Deterministic bytes generated as they are read, hashed on the way: 64 MiB of standard
// input without 64 MiB in memory.
class GeneratedInput : public rdt::CommandInput {
public:
    explicit GeneratedInput(qint64 size) : m_left(size), m_random(20261203) {}
    qint64 read(char *buffer, qint64 maxBytes) override
    {
        const qint64 n = qMin(maxBytes, m_left) & ~qint64(3);
        m_random.fillRange(reinterpret_cast<quint32 *>(buffer), qsizetype(n / 4));
        m_hash.addData(QByteArrayView(buffer, n));
        m_left -= n;
        return n;
    }
    QString errorString() const override { return {}; }
    QByteArray md5Hex() const { return m_hash.result().toHex(); }

private:
    qint64 m_left;
    QRandomGenerator m_random;
    QCryptographicHash m_hash{QCryptographicHash::Md5};
};

struct Started {
    QPointer<rdt::RemoteProcess> process;
    QByteArray expected;
    QByteArray out;
    qint64 finishedAtMs = -1;
};

} // namespace

class SshChannelsTest : public QObject {
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

    // 4 followers (long-lived, 8 s each) and 25 short commands started at once: every one
    // ends with exit 0 and exactly its own output. At MaxSessions 10 the short ones finish
    // while the followers still run; below our budget the server's refusals lower it.
    void moreCommandsThanMaxSessionsAllComplete()
    {
        const int maxSessions = serverMaxSessions();
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        QElapsedTimer clock;
        clock.start();
        std::map<int, Started> started;
        int running = 0;
        auto launch = [&](int index, rdt::CommandSpec spec, QByteArray expected) {
            Started &entry = started[index];
            entry.expected = std::move(expected);
            entry.process = c.client->start(spec);
            ++running;
            connect(entry.process, &rdt::RemoteProcess::standardOutput, this,
                    [&entry](const QByteArray &data) { entry.out += data; });
            connect(entry.process, &rdt::RemoteProcess::finished, this, [&entry, &running, &clock] {
                entry.finishedAtMs = clock.elapsed();
                --running;
            });
        };
        for (int i = 0; i < 4; ++i) {
            rdt::CommandSpec spec = commandOf({"sh", "-c", "i=0; while [ $i -lt 8 ]; do echo \"follow $1 $i\"; i=$((i+1)); sleep 1; done", "sh"});
            spec.argv.append(QByteArray::number(i));
            spec.longLived = true;
            QByteArray expected;
            for (int line = 0; line < 8; ++line)
                expected += "follow " + QByteArray::number(i) + ' ' + QByteArray::number(line) + '\n';
            launch(i, spec, expected);
        }
        for (int i = 0; i < 25; ++i) {
            rdt::CommandSpec spec = commandOf({"sh", "-c", "sleep 0.3; echo \"short $1 on $(hostname -I | cut -d' ' -f1)\"", "sh"});
            spec.argv.append(QByteArray::number(i));
            launch(100 + i, spec, "short " + QByteArray::number(i) + " on " + m_topo.gpuAddress().toUtf8() + '\n');
        }
        QVERIFY2(QTest::qWaitFor([&] { return running == 0; }, 180000),
                 qPrintable(QStringLiteral("%1 of 29 commands still running after 180 s (budget %2, open %3, waiting %4)")
                                .arg(running).arg(c.client->channelStats().limit).arg(c.client->channelStats().open)
                                .arg(c.client->channelStats().waiting)));
        qint64 lastShortMs = 0;
        qint64 firstFollowerMs = std::numeric_limits<qint64>::max();
        for (auto &[index, entry] : started) {
            QVERIFY(entry.process);
            QVERIFY2(entry.process->error().code == ErrorCode::None,
                     qPrintable(QStringLiteral("command %1: %2").arg(index).arg(errorText(entry.process->error()))));
            QCOMPARE(entry.process->exitStatus(), 0);
            QCOMPARE(entry.out, entry.expected);
            if (index >= 100)
                lastShortMs = qMax(lastShortMs, entry.finishedAtMs);
            else
                firstFollowerMs = qMin(firstFollowerMs, entry.finishedAtMs);
        }
        const rdt::ChannelStats stats = c.client->channelStats();
        qInfo("server MaxSessions %d: budget %d, at most %d channels open and %d commands waiting; last short "
              "command done at %lld ms, first follower at %lld ms",
              maxSessions, stats.limit, stats.peakOpen, stats.peakWaiting, lastShortMs, firstFollowerMs);
        QVERIFY2(stats.peakOpen <= maxSessions, qPrintable(QString::number(stats.peakOpen)));
        QVERIFY2(stats.peakWaiting > 0, "29 commands at once never waited for a channel");
        QCOMPARE(stats.open, 0);
        QCOMPARE(stats.waiting, 0);
        if (maxSessions < rdt::kDefaultChannelBudget) {
            QVERIFY2(stats.limit <= maxSessions, qPrintable(QString::number(stats.limit)));
        } else {
            // Channels kept for short commands: none of them waited for a follower to end.
            QVERIFY2(lastShortMs < firstFollowerMs,
                     qPrintable(QStringLiteral("short commands done at %1 ms, a follower ended at %2 ms")
                                    .arg(lastShortMs).arg(firstFollowerMs)));
        }
    }

    // A cancelled waiting command ends at once as cancelled and never runs. The blockers'
    // processes outlive their cancellation for a while (the topology's sshd delivers no
    // signals), holding the server's sessions: the next command waits for them, then runs.
    void cancellingAWaitingCommand()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        QList<QPointer<rdt::RemoteProcess>> blockers;
        for (int i = 0; i < 12; ++i)
            blockers.append(c.client->start(commandOf({"sleep", "6"})));
        const QString marker = m_topo.dir() + QStringLiteral("/never-ran");
        rdt::CommandSpec spec = commandOf({"touch"});
        spec.argv.append(marker.toUtf8());
        QPointer<rdt::RemoteProcess> waiting = c.client->start(spec);
        QVERIFY(QTest::qWaitFor([&] { return c.client->channelStats().waiting > 0; }, 30000));
        waiting->cancel();
        QVERIFY2(QTest::qWaitFor([&] { return !waiting->isRunning(); }, 10000), "the waiting command did not end");
        QCOMPARE(waiting->error().code, ErrorCode::Cancelled);
        for (const auto &blocker : blockers)
            blocker->cancel();
        QVERIFY2(QTest::qWaitFor([&] { return c.client->channelStats().open == 0; }, 30000),
                 qPrintable(QString::number(c.client->channelStats().open)));
        const CommandRun check = runCommand(*c.client, commandOf({"sh", "-c", "test -e \"$1\" && echo ran || echo absent", "sh",
                                                                   marker.toUtf8().constData()}), 60000);
        QVERIFY2(check.finished && check.error.code == ErrorCode::None, qPrintable(errorText(check.error)));
        QCOMPARE(check.out, QByteArray("absent\n"));
    }

    // 64 MiB of standard input through the jump host to md5sum: every byte arrives, in order.
    void largeStandardInputArrivesWhole()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(errorText(c.error)));
        auto input = std::make_shared<GeneratedInput>(qint64(64) << 20);
        rdt::CommandSpec spec = commandOf({"sh", "-c", "md5sum | cut -d' ' -f1"});
        spec.input = input;
        const CommandRun run = runCommand(*c.client, spec, 300000);
        QVERIFY2(run.finished && run.error.code == ErrorCode::None, qPrintable(errorText(run.error)));
        QCOMPARE(run.exitStatus, 0);
        QCOMPARE(run.out.trimmed(), input->md5Hex());
        qInfo("64 MiB through the jump in %lld ms", run.elapsedMs);

        // The spec's own bytes (no stream) take the same path: 8 MiB, far past one window.
        QByteArray bytes(8 << 20, Qt::Uninitialized);
        QRandomGenerator(7).fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
        rdt::CommandSpec plain = commandOf({"sh", "-c", "md5sum | cut -d' ' -f1"});
        plain.standardInput = bytes;
        const CommandRun plainRun = runCommand(*c.client, plain, 120000);
        QVERIFY2(plainRun.finished && plainRun.exitStatus == 0, qPrintable(errorText(plainRun.error)));
        QCOMPARE(plainRun.out.trimmed(), QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex());
    }
};

QTEST_GUILESS_MAIN(SshChannelsTest)
#include "sshd_channels.moc"
