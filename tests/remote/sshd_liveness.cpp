// An idle connection through the jump host costs no CPU, a stalled jump host is waited
// for as long as the keepalive budget allows, and a longer stall ends in one clear drop
// that says what was seen, not in the keepalive's own "global request failed".
#include "SshClient.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <sys/resource.h>

using rdt::ErrorCode;

namespace {

// User plus system CPU time of this whole process (every connection and pump thread).
qint64 processCpuMs()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return qint64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
        + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000;
}

rdt::SshRoute withKeepalive(rdt::SshRoute route, int jumpInterval, int targetInterval, int countMax)
{
    route.target.serverAliveIntervalSeconds = targetInterval;
    route.target.serverAliveCountMax = countMax;
    for (rdt::SshHost &jump : route.jumps) {
        jump.serverAliveIntervalSeconds = jumpInterval;
        jump.serverAliveCountMax = countMax;
    }
    return route;
}

} // namespace

class LivenessTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();

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

    void cleanup() { control(QStringLiteral("resume"), QStringLiteral("jump")); }

    void idleConnectionCostsNoCpu()
    {
        // A keepalive every second on both hops: the answers are what an unread socket
        // used to spin on.
        Connected c = connectRoute(withKeepalive(m_topo.gpuRoute(), 1, 1, 5));
        QVERIFY2(c.client, qPrintable(c.error.message));
        QSignalSpy lost(c.client.get(), &rdt::SshClient::connectionLost);
        QVERIFY(runCommand(*c.client, commandOf({"true"})).exitStatus == 0);

        constexpr int kIdleMs = 20000;
        const qint64 cpuBefore = processCpuMs();
        QElapsedTimer clock;
        clock.start();
        QTest::qWait(kIdleMs);
        const qint64 cpuMs = processCpuMs() - cpuBefore;
        const double share = 100.0 * double(cpuMs) / double(clock.elapsed());
        qInfo("idle CPU through the jump host: %lld ms over %lld ms (%.2f%% of one core)", cpuMs,
              qint64(clock.elapsed()), share);
        QVERIFY2(lost.isEmpty(), lost.isEmpty() ? "" : qPrintable(lost.first().first().value<rdt::Error>().message));
        QVERIFY2(share < 2.0, qPrintable(QStringLiteral("%1 ms of CPU in %2 ms idle").arg(cpuMs).arg(clock.elapsed())));
        const CommandRun after = runCommand(*c.client, commandOf({"echo", "still here"}));
        QCOMPARE(after.out, QByteArray("still here\n"));
    }

    void stallWithinTheDefaultBudgetIsSurvived()
    {
        // The product's defaults (15 s x 3): a jump host frozen for 30 s by load is waited for.
        const rdt::SshRoute route = m_topo.gpuRoute();
        QCOMPARE(route.jumps.first().serverAliveIntervalSeconds * route.jumps.first().serverAliveCountMax, 45);
        Connected c = connectRoute(route);
        QVERIFY2(c.client, qPrintable(c.error.message));
        QSignalSpy lost(c.client.get(), &rdt::SshClient::connectionLost);
        control(QStringLiteral("pause"), QStringLiteral("jump"));
        QTest::qWait(30000);
        control(QStringLiteral("resume"), QStringLiteral("jump"));
        const CommandRun after = runCommand(*c.client, commandOf({"echo", "survived"}));
        QVERIFY2(lost.isEmpty(), lost.isEmpty() ? "" : qPrintable(lost.first().first().value<rdt::Error>().message));
        QCOMPARE(after.out, QByteArray("survived\n"));
        qInfo("stall survived: 30 s with the default keepalive (15 s x 3)");
    }

    void longerStallIsOneClearDrop()
    {
        // Jump 1 s x 3, target 2 s x 3: the jump host's silence is found first and named.
        Connected c = connectRoute(withKeepalive(m_topo.gpuRoute(), 1, 2, 3));
        QVERIFY2(c.client, qPrintable(c.error.message));
        QSignalSpy lost(c.client.get(), &rdt::SshClient::connectionLost);
        QElapsedTimer clock;
        clock.start();
        control(QStringLiteral("pause"), QStringLiteral("jump"));
        QVERIFY(lost.wait(15000));
        const qint64 droppedAfterMs = clock.elapsed();
        control(QStringLiteral("resume"), QStringLiteral("jump"));
        const rdt::Error error = lost.first().first().value<rdt::Error>();
        QCOMPARE(error.code, ErrorCode::ConnectionLost);
        QVERIFY2(error.message.contains(QLatin1String("jump host jump")), qPrintable(error.message));
        QVERIFY2(error.message.contains(QLatin1String("no packet for")), qPrintable(error.message));
        QVERIFY2(!error.message.contains(QLatin1String("keepalive@openssh.com")), qPrintable(error.message));
        QVERIFY2(droppedAfterMs >= 1000 && droppedAfterMs < 10000, qPrintable(QString::number(droppedAfterMs)));

        // Once the host is back, a new connection works.
        Connected again = connectRoute(m_topo.gpuRoute());
        QVERIFY2(again.client, qPrintable(again.error.message));
        QCOMPARE(runCommand(*again.client, commandOf({"echo", "back"})).out, QByteArray("back\n"));
    }
};

QTEST_GUILESS_MAIN(LivenessTest)
#include "sshd_liveness.moc"
