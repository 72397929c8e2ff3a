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
};

QTEST_MAIN(LogFollowsTest)
#include "sshd_gui_log_follows.moc"
