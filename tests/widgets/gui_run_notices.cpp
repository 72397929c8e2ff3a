// What the dashboard shows about a run beyond its curves: the trainer's "not RDT-conditioned"
// warnings from the start event and other ranks' errors in the notice strip (per run and
// source), the GPU cards naming the rank each carries, and the rank files read back.
#include "RankErrors.h"
#include "RankWatcher.h"
#include "dashboard/GpuPanel.h"
#include "dashboard/RunDashboard.h"
#include "dashboard/RunNotices.h"
#include "MetricsLineParser.h"

#include <QDir>
#include <QTest>

using namespace rdt;

class RunNoticesTest : public QObject {
    Q_OBJECT
private slots:
    void noticesArePerRunAndSource()
    {
        RunDashboard dashboard;
        dashboard.resize(1200, 800);
        RunNotices *notices = dashboard.notices();
        notices->setNotices(QStringLiteral("a"), QStringLiteral("conditioning"),
                            {QStringLiteral("no --vision_encoder: ... NOT RDT-conditioned")});
        notices->setNotices(QStringLiteral("b"), QStringLiteral("other ranks"), {QStringLiteral("rank 1: out of memory")});
        dashboard.setCurrentRun(QStringLiteral("a"));
        QCOMPARE(notices->shown(), QStringList{QStringLiteral("conditioning: no --vision_encoder: ... NOT RDT-conditioned")});
        QVERIFY(!notices->isHidden());
        notices->setNotices(QStringLiteral("a"), QStringLiteral("other ranks"),
                            {QStringLiteral("rdt-trainer launch: rank 1 (pid 812) was killed by SIGKILL")});
        QCOMPARE(notices->shown().size(), 2);
        QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
        QVERIFY(dashboard.grab().save(QStringLiteral(RDT_SCREENSHOT_DIR "/dashboard-notices.png")));
        dashboard.setCurrentRun(QStringLiteral("b"));
        QCOMPARE(notices->shown(), QStringList{QStringLiteral("other ranks: rank 1: out of memory")});
        notices->setNotices(QStringLiteral("b"), QStringLiteral("other ranks"), {});
        QVERIFY(notices->shown().isEmpty());
        QVERIFY(notices->isHidden());
    }

    void theStartEventsWarningsAreRead()
    {
        MetricsLineParser parser;
        const QByteArray line = R"({"event":"start","time":1,"version":"0.1","world_size":2,"step":0,)"
                                R"("conditioning":{"vision":"patch","language":"learned","warnings":["pretrained weights with the patch encoder: ..."]},)"
                                R"("config":{"train":{"max_train_steps":10}}})" "\n";
        const MetricsBatch result = parser.feed(line);
        QCOMPARE(result.events.size(), 1);
        QCOMPARE(result.events.front().worldSize, 2);
        QCOMPARE(result.events.front().conditioningWarnings,
                 QStringList{QStringLiteral("pretrained weights with the patch encoder: ...")});
    }

    void gpuCardsNameTheirRanks()
    {
        QCOMPARE(RankWatcher::gpuOfRank(QString(), 3), 3);
        QCOMPARE(RankWatcher::gpuOfRank(QStringLiteral("4,5,6"), 1), 5);
        QCOMPARE(RankWatcher::gpuOfRank(QStringLiteral("4,5"), 2), -1);
        QCOMPARE(RankWatcher::gpuOfRank(QStringLiteral("GPU-8f2c,GPU-11ab"), 0), -1);
        GpuPanel panel;
        panel.setRoles({{5, QStringLiteral("run r1, rank 1")}});
        GpuSample four{};
        four.index = 4;
        four.name = QStringLiteral("H100");
        GpuSample five = four;
        five.index = 5;
        panel.addSamples({four, five});
        QVERIFY2(panel.cardText(5).contains(QLatin1String("rank 1")), qPrintable(panel.cardText(5)));
        QVERIFY(!panel.cardText(4).contains(QLatin1String("rank")));
        panel.setRoles({{4, QStringLiteral("run r1, rank 0")}});
        QVERIFY(panel.cardText(4).contains(QLatin1String("rank 0")));
        QVERIFY(!panel.cardText(5).contains(QLatin1String("rank")));
    }

    void rankFilesAndLauncherLinesAreRead()
    {
        const QByteArray output = "@rank 1 {\"event\":\"error\",\"time\":5,\"message\":\"CUDA out of memory on cuda:1\"}\n"
                                  "@rank 1 {\"event\":\"error\",\"time\":5,\"message\":\"CUDA out of memory on cuda:1\"}\n"
                                  "@launcher rdt-trainer launch: rank 3 (pid 812) was killed by SIGKILL; stopping the others\n"
                                  "@devices 2,3,4,5\n@end\n";
        QCOMPARE(RankErrors::parse(output),
                 (QStringList{QStringLiteral("rank 1: CUDA out of memory on cuda:1"),
                              QStringLiteral("rdt-trainer launch: rank 3 (pid 812) was killed by SIGKILL; stopping the others")}));
        QCOMPARE(RankErrors::visibleDevices(output).value_or(QStringLiteral("none")), QStringLiteral("2,3,4,5"));
        QVERIFY(!RankErrors::visibleDevices("@end\n").has_value());
    }
};

QTEST_MAIN(RunNoticesTest)
#include "gui_run_notices.moc"
