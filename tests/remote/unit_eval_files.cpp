// The eval's files as `rdt-trainer eval` writes them (BRIEF's shared formats): results.json
// and actions/<episode>.json read back field for field, step <-> millisecond mapping at
// 10, 20 and 30 fps, and every malformed file refused with its name and what is wrong.
#include "EvalActions.h"
#include "EvalResults.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using rdt::EvalActions;
using rdt::EvalResults;

namespace {

const QByteArray kResults = R"({"checkpoint":"checkpoint-200","weights":"ema","flags":{"exec_horizon":16,"record_video":true},
"episodes":[{"index":0,"episode":"demo_3","file":"libero_10/KITCHEN_SCENE3.hdf5","task":"turn on the stove","steps":120,
"mse":0.0125,"l2err":0.31,"mse_per_dim":[0.01,0.02,0.03,0.004,0.005,0.006,0.05],"gripper_agreement":0.95,
"video":"videos/episode_000_turn_on_the_stove.mp4"},
{"index":1,"episode":"demo_7","file":"libero_10/KITCHEN_SCENE3.hdf5","task":"turn on the stove","steps":98,
"mse":0.02,"l2err":0.4,"mse_per_dim":[0,0,0,0,0,0,0],"gripper_agreement":null}],
"tasks":{"turn on the stove":{"episodes":2,"mse":0.016,"l2err":0.35,"gripper_agreement":0.95}},
"aggregate":{"episodes":2,"mse":0.016,"l2err":0.35,"gripper_agreement":0.95}})";

const QByteArray kActions = R"({"episode":"demo_3","task":"turn on the stove","fps":20,"exec_horizon":16,
"dims":["x","y","z","roll","pitch","yaw","gripper"],"chunk_starts":[0,16],
"predicted":[[1,2,3,4,5,6,-1],[1.5,2,3,4,5,6,1]],"demonstrated":[[1,2,3,4,5,6,-1],[1,2,3,4,5,6,1]]})";

} // namespace

class EvalFilesTest : public QObject {
    Q_OBJECT

private slots:
    void readsResults()
    {
        const auto results = EvalResults::fromJson(kResults, QStringLiteral("results.json"));
        QVERIFY2(results.ok(), qPrintable(results.error().message));
        QCOMPARE(results->checkpoint, QStringLiteral("checkpoint-200"));
        QCOMPARE(results->weights, QStringLiteral("ema"));
        QCOMPARE(results->flags.value(QStringLiteral("exec_horizon")).toInt(), 16);
        QCOMPARE(results->episodes.size(), size_t(2));
        const auto &first = results->episodes[0];
        QCOMPARE(first.episode, QStringLiteral("demo_3"));
        QCOMPARE(first.steps, 120);
        QCOMPARE(first.mse, 0.0125);
        QCOMPARE(first.msePerDim.size(), size_t(7));
        QCOMPARE(first.msePerDim[6], 0.05);
        QCOMPARE(first.video, QStringLiteral("videos/episode_000_turn_on_the_stove.mp4"));
        QCOMPARE(first.actionsFile(), QStringLiteral("actions/demo_3.json"));
        QVERIFY(std::isnan(results->episodes[1].gripperAgreement));   // null: not computed
        QCOMPARE(results->tasks.at(QStringLiteral("turn on the stove")).episodes, 2);
        QCOMPARE(results->aggregate.l2err, 0.35);
    }

    void refusesBadResults_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("why");
        QTest::newRow("not json") << QByteArray("{\"episodes\":[") << QStringLiteral("not JSON at byte");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("not a JSON object");
        QTest::newRow("no episodes") << QByteArray("{\"checkpoint\":\"c\"}") << QStringLiteral("\"episodes\" is missing");
        QTest::newRow("unnamed") << QByteArray("{\"episodes\":[{\"index\":0}]}") << QStringLiteral("episodes[0] has no \"episode\" name");
    }

    void refusesBadResults()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, why);
        const auto results = EvalResults::fromJson(json, QStringLiteral("/cache/gpu01/run1/checkpoint-200/results.json"));
        QVERIFY(!results.ok());
        QVERIFY2(results.error().message.startsWith(QStringLiteral("read eval results /cache/gpu01/run1/checkpoint-200/results.json: ")),
                 qPrintable(results.error().message));
        QVERIFY2(results.error().message.contains(why), qPrintable(results.error().message));
    }

    void readsActions()
    {
        const auto actions = EvalActions::fromJson(kActions, QStringLiteral("demo_3.json"));
        QVERIFY2(actions.ok(), qPrintable(actions.error().message));
        QCOMPARE(actions->episode, QStringLiteral("demo_3"));
        QCOMPARE(actions->fps, 20.0);
        QCOMPARE(actions->execHorizon, 16);
        QCOMPARE(actions->dims.size(), 7);
        QCOMPARE(actions->chunkStarts, (std::vector<int>{0, 16}));
        QCOMPARE(actions->steps(), 2);
        QCOMPARE(actions->predicted[1][0], 1.5);
        QCOMPARE(actions->demonstrated[1][6], 1.0);
    }

    // Seeking to positionOf(step) must land in that step's frame; stepAt() maps back.
    void mapsStepsAndMilliseconds()
    {
        for (double fps : {10.0, 20.0, 30.0}) {
            EvalActions actions;
            actions.fps = fps;
            for (int step = 0; step < 300; ++step) {
                const qint64 ms = actions.positionOf(step);
                QVERIFY2(double(ms) <= step * 1000.0 / fps + 1e-9, qPrintable(QStringLiteral("%1 fps step %2").arg(fps).arg(step)));
                QVERIFY2(double(ms) > (step - 1) * 1000.0 / fps, qPrintable(QStringLiteral("%1 fps step %2").arg(fps).arg(step)));
                QCOMPARE(actions.stepAt(qint64(std::ceil(step * 1000.0 / fps))), step);
            }
        }
    }

    void refusesBadActions_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("why");
        QTest::newRow("no fps") << QByteArray(R"({"dims":["x"],"predicted":[],"demonstrated":[]})") << QStringLiteral("\"fps\" is missing or not a positive number");
        QTest::newRow("no dims") << QByteArray(R"({"fps":20,"predicted":[],"demonstrated":[]})") << QStringLiteral("\"dims\" is missing or empty");
        QTest::newRow("short row") << QByteArray(R"({"fps":20,"dims":["x","y"],"predicted":[[1,2],[3]],"demonstrated":[[1,2],[3,4]]})")
                                   << QStringLiteral("\"predicted\"[1] has 1 numbers, expected 2 (one per dim)");
        QTest::newRow("text") << QByteArray(R"({"fps":20,"dims":["x"],"predicted":[[1]],"demonstrated":[["a"]]})")
                              << QStringLiteral("\"demonstrated\"[0][0] is not a number");
        QTest::newRow("lengths") << QByteArray(R"({"fps":20,"dims":["x"],"predicted":[[1],[2]],"demonstrated":[[1]]})")
                                 << QStringLiteral("2 predicted steps but 1 demonstrated");
        QTest::newRow("missing") << QByteArray(R"({"fps":20,"dims":["x"],"predicted":[[1]]})") << QStringLiteral("\"demonstrated\" is missing or not an array");
    }

    void refusesBadActions()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, why);
        const auto actions = EvalActions::fromJson(json, QStringLiteral("actions/demo_3.json"));
        QVERIFY(!actions.ok());
        QVERIFY2(actions.error().message.startsWith(QStringLiteral("read actions actions/demo_3.json: ")), qPrintable(actions.error().message));
        QVERIFY2(actions.error().message.contains(why), qPrintable(actions.error().message));
    }

    void namesAMissingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("results.json"));
        const auto results = EvalResults::load(path);
        QVERIFY(!results.ok());
        QCOMPARE(results.error().code, rdt::ErrorCode::LocalIo);
        QVERIFY2(results.error().message.contains(path), qPrintable(results.error().message));
    }
};

QTEST_GUILESS_MAIN(EvalFilesTest)
#include "unit_eval_files.moc"
