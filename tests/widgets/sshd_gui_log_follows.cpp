// Several runs' train.log followed at once on one connection, as the dashboard does when
// runs are current and overlaid: each RunLogTail probes its log's size and then follows it,
// beside a MetricsFollower per run, all started in the same event-loop turn on one SshClient,
// against the real jump topology. Every log must show its lines; a follow that delivers
// nothing and reports nothing (seen in the sandbox for the third run of a session) fails it.
#include "MetricsFollower.h"
#include "RunLogTail.h"
#include "SshClient.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <vector>

#include <signal.h>

using namespace rdt;

namespace {

// About the size of the sandbox's train.log when the dashboard first follows it.
QByteArray logText(int run)
{
    QByteArray text;
    for (int step = 1; text.size() < 1200; ++step)
        text += QStringLiteral("run %1 step %2 loss 0.%3\n").arg(run).arg(step).arg(1000 - step).toUtf8();
    return text;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// The follower's limit on silence (20 s) and room for a loaded machine.
constexpr int kSilentWaitMs = 50000;

// The follow script's own process on the GPU host (a namespace of this machine): `sh` with
// the arguments "rdt-follow" and the path as words of their own.
QList<pid_t> followScriptPids(const QString &path)
{
    QList<pid_t> pids;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool isPid = false;
        const pid_t pid = pid_t(entry.toInt(&isPid));
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (!isPid || !cmdline.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> argv = cmdline.readAll().split('\0');
        if (argv.size() > 4 && argv[0].endsWith("sh") && argv[3] == "rdt-follow" && argv[4] == path.toUtf8())
            pids.append(pid);
    }
    return pids;
}

} // namespace

class LogFollowsTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_work;
    QString m_root;

private Q_SLOTS:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_work.isValid());
        m_root = QDir(m_work.path()).canonicalPath();
    }

    // Rounds of three runs, each round on a fresh connection and fresh files: a race shows
    // in some rounds only.
    void threeLogsAndTheirMetricsFollowedAtOnce()
    {
        constexpr int kRuns = 3;
        constexpr int kRounds = 6;
        for (int round = 0; round < kRounds; ++round) {
            Connected connected = connectRoute(m_topo.gpuRoute());
            QVERIFY2(connected.client, qPrintable(connected.error.message));
            SshClient *client = connected.client.get();
            std::vector<std::unique_ptr<RunLogTail>> logs;
            std::vector<std::unique_ptr<MetricsFollower>> metrics;
            std::vector<QStringList> shown(kRuns);
            std::vector<QString> errors(kRuns);
            std::vector<QStringList> expected(kRuns);
            for (int run = 0; run < kRuns; ++run) {
                const QString name = QStringLiteral("round%1-run%2").arg(round).arg(run);
                const QString folder = m_root + QStringLiteral("/runs/") + name;
                QVERIFY(QDir().mkpath(folder));
                const QByteArray text = logText(run);
                QVERIFY(writeFile(folder + QStringLiteral("/train.log"), text));
                QVERIFY(writeFile(folder + QStringLiteral("/metrics.jsonl"), "{\"event\":\"start\",\"time\":1}\n"));
                expected[run] = QString::fromUtf8(text.trimmed()).split(QLatin1Char('\n'));
                logs.push_back(std::make_unique<RunLogTail>(RunLogTail::logPath(m_root, name)));
                connect(logs.back().get(), &RunLogTail::linesArrived, this,
                        [&shown, run](const QStringList &lines) { shown[run] += lines; });
                connect(logs.back().get(), &RunLogTail::interrupted, this,
                        [&errors, run](const Error &error) { errors[run] = error.message; });
                metrics.push_back(std::make_unique<MetricsFollower>());
            }
            // The dashboard's order: each run's metrics, then its log, in one turn.
            for (int run = 0; run < kRuns; ++run) {
                metrics[run]->start(client, MetricsFollower::metricsPath(m_root, QStringLiteral("round%1-run%2").arg(round).arg(run)));
                logs[run]->start(client);
            }
            const bool allShown = QTest::qWaitFor([&] {
                for (int run = 0; run < kRuns; ++run)
                    if (shown[run] != expected[run] && errors[run].isEmpty())
                        return false;
                return true;
            }, 30000);
            for (int run = 0; run < kRuns; ++run) {
                QVERIFY2(errors[run].isEmpty(), qPrintable(QStringLiteral("round %1, run %2: %3").arg(round).arg(run).arg(errors[run])));
                QVERIFY2(shown[run] == expected[run],
                         qPrintable(QStringLiteral("round %1, run %2: %3 of %4 lines shown after 30 s (%5)")
                                        .arg(round).arg(run).arg(shown[run].size()).arg(expected[run].size())
                                        .arg(allShown ? QStringLiteral("others done") : QStringLiteral("timed out"))));
            }
        }
    }

    // A follow that goes silent (its script frozen on the server: the stand-in for a follow
    // that never delivers) ends with an error that says so, and a new follow reads on, where
    // before it stayed running and showed nothing for good.
    void aSilentFollowIsReportedAndFollowedAgain()
    {
        Connected connected = connectRoute(m_topo.gpuRoute());
        QVERIFY2(connected.client, qPrintable(connected.error.message));
        const QString folder = m_root + QStringLiteral("/runs/silent");
        QVERIFY(QDir().mkpath(folder));
        const QString path = folder + QStringLiteral("/train.log");
        QVERIFY(writeFile(path, logText(7)));
        RunLogTail log(path);
        QStringList shown;
        QList<Error> errors;
        connect(&log, &RunLogTail::linesArrived, this, [&shown](const QStringList &lines) { shown += lines; });
        connect(&log, &RunLogTail::interrupted, this, [&errors](const Error &error) { errors.append(error); });
        log.start(connected.client.get());
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && followScriptPids(path).size() == 1, 30000);
        const pid_t script = followScriptPids(path).first();
        QCOMPARE(::kill(script, SIGSTOP), 0);
        const int before = int(shown.size());
        QFile file(path);
        QVERIFY(file.open(QIODevice::Append) && file.write("written while the follow is frozen\n") > 0);
        file.close();
        const bool reported = QTest::qWaitFor([&] { return !errors.isEmpty(); }, kSilentWaitMs);
        ::kill(script, SIGKILL);   // ours: started by this test's follow
        QVERIFY2(reported, qPrintable(QStringLiteral("a frozen follow stayed running without a word for %1 s; %2 lines shown")
                                          .arg(kSilentWaitMs / 1000).arg(shown.size())));
        QCOMPARE(shown.size(), before);
        QVERIFY2(errors.first().message.contains(QLatin1String("stalled")) && errors.first().message.contains(path),
                 qPrintable(errors.first().message));
        QVERIFY(!log.isFollowing());
        log.resume(connected.client.get());
        QTRY_VERIFY_WITH_TIMEOUT(shown.contains(QStringLiteral("written while the follow is frozen")), 30000);
        QCOMPARE(shown.count(QStringLiteral("written while the follow is frozen")), 1);
        QCOMPARE(errors.size(), 1);
    }
};

QTEST_MAIN(LogFollowsTest)
#include "sshd_gui_log_follows.moc"
