// Eval command presets and the servers' own eval outputs: a preset's line filled and run by
// a real shell (every value arrives byte for byte, none runs as code), the built-in and the
// user's presets and the fields a user may set in them, results read from what
// eval_rdt_libero.py and OpenVLA's run_libero_eval.py really write and from a success CSV,
// a downloaded eval folder read as its eval-command.json says, and the eval logs' failures
// explained.
#include "EvalCommandPresets.h"
#include "EvalCommandRecord.h"
#include "EvalCommandTemplate.h"
#include "EvalLogFailures.h"
#include "LocalEvalResults.h"
#include "ServerEvalResults.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace rdt;

namespace {

// Runs a filled line with /bin/sh (dash here: no brace expansion, so x{y,z} stays as
// written) as the server would; returns its standard output.
QByteArray runShell(const QByteArray &line, const QString &home)
{
    QProcess shell;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), home);
    shell.setProcessEnvironment(environment);
    shell.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QString::fromUtf8(line)});
    shell.waitForFinished(10000);
    return shell.readAllStandardOutput();
}

// As eval_rdt_libero.py's json.dump(results, f, indent=2) writes it.
const QByteArray kLiberoJson = R"({
  "total_tasks": 3,
  "successful_tasks": 1,
  "total_steps": 412,
  "task_results": [
    {
      "task_name": "KITCHEN_SCENE10_close_the_top_drawer_of_the_cabinet",
      "success": true,
      "steps": 112,
      "reward": 1.0
    },
    {
      "task_name": "KITCHEN_SCENE10_put_the_black_bowl_in_the_top_drawer",
      "success": false,
      "steps": 200,
      "reward": 0.0
    },
    {
      "task_name": "LIVING_ROOM_SCENE1_pick_up_the_alphabet_soup",
      "success": false,
      "steps": 100,
      "reward": 0,
      "error": "MuJoCo simulation unstable"
    }
  ],
  "success_rate": 0.3333333333333333,
  "avg_steps": 137.33333333333334
})";

} // namespace

class EvalCommandsTest : public QObject {
    Q_OBJECT

private slots:
    void filledValuesArriveExactlyThroughARealShell()
    {
        QTemporaryDir home;
        const EvalCommandValues values{{QStringLiteral("a"), QStringLiteral("it's $(touch pwned) `x` \"q\" ;|&")},
                                       {QStringLiteral("b"), QStringLiteral("~/runs/with space")},
                                       {QStringLiteral("c"), QStringLiteral("ünï cödé\ttab")}};
        const Result<QByteArray> line =
            EvalCommandTemplate::fill(QStringLiteral(R"(printf '%s\n' {a} {b} {c} ${HOME:+set} {{literal}} x{y,z})"),
                                      values, QStringLiteral("test"));
        QVERIFY2(line, qPrintable(line.error().message));
        const QByteArray output = runShell(*line, home.path());
        QCOMPARE(output, (values.at(QStringLiteral("a")) + QLatin1Char('\n') + home.path()
                          + QStringLiteral("/runs/with space\n") + values.at(QStringLiteral("c"))
                          + QStringLiteral("\nset\n{literal}\nx{y,z}\n"))
                             .toUtf8());
        QVERIFY(!QFile::exists(QStringLiteral("pwned")));
        QCOMPARE(EvalCommandTemplate::fieldsIn(QStringLiteral("{a} ${HOME} {a} {b_2} {{c}} {D} x{y,z}")),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b_2")}));
    }

    void refusesWhatWouldBreakTheLine_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("expected");
        QTest::newRow("field in double quotes") << QStringLiteral(R"(run --out "{video_dir}")")
                                                << QStringLiteral("{video_dir} at column 12 is inside quotes");
        QTest::newRow("field in single quotes") << QStringLiteral("run '{video_dir}'")
                                                << QStringLiteral("{video_dir} at column 6 is inside quotes");
        QTest::newRow("unbalanced quote") << QStringLiteral("run \"{video_dir}")
                                          << QStringLiteral("inside quotes");
        QTest::newRow("open quote at end") << QStringLiteral("run {video_dir} 'oops")
                                           << QStringLiteral("the line ends inside a single-quoted string");
        QTest::newRow("missing field") << QStringLiteral("run {video_dir} --config {config}")
                                       << QStringLiteral("{config} has no value");
    }

    void refusesWhatWouldBreakTheLine()
    {
        QFETCH(QString, line);
        QFETCH(QString, expected);
        const Result<QByteArray> filled =
            EvalCommandTemplate::fill(line, {{QStringLiteral("video_dir"), QStringLiteral("/v")}}, QStringLiteral("mine"));
        QVERIFY(!filled);
        QVERIFY2(filled.error().message.startsWith(QLatin1String("eval command \"mine\": ")),
                 qPrintable(filled.error().message));
        QVERIFY2(filled.error().message.contains(expected), qPrintable(filled.error().message));
    }

    void builtInPresetsFillTheSeedsLine()
    {
        const Result<std::vector<EvalCommandPreset>> presets = EvalCommandPresets::load(QString());
        QVERIFY2(presets, qPrintable(presets.error().message));
        QCOMPARE(presets->size(), std::size_t(3));
        QVERIFY(EvalCommandPresets::find(*presets, EvalCommandPresets::trainerPresetName()));
        const Result<EvalCommandPreset> seed =
            EvalCommandPresets::find(*presets, QStringLiteral("RDT LIBERO closed-loop (eval_sim/eval_rdt_libero.py)"));
        QVERIFY2(seed, qPrintable(seed.error().message));
        QCOMPARE(seed->results, EvalResultsFormat::LiberoJson);
        QCOMPARE(seed->resultsFile, QStringLiteral("libero_evaluation_results.json"));
        QVERIFY(seed->environment.contains(qMakePair(QByteArray("MUJOCO_GL"), QByteArray("egl"))));

        EvalCommandContext context;
        context.trainer = QStringLiteral("/opt/rdt/bin/rdt-trainer");
        context.runDir = QStringLiteral("/srv/runs/libero 10");
        context.checkpoint = QStringLiteral("/srv/runs/libero 10/checkpoint-200");
        context.outputDir = QStringLiteral("/srv/runs/libero 10/eval/checkpoint-200");
        context.execHorizon = 8;
        const Result<QByteArray> line = seed->line(context, {{QStringLiteral("num_tasks"), QStringLiteral("10")}});
        QVERIFY2(line, qPrintable(line.error().message));
        QCOMPARE(*line, QByteArray("mkdir -p '/srv/runs/libero 10/eval/checkpoint-200' && ( cd ~/'RoboticsDiffusionTransformer' "
                                   "&& python eval_sim/eval_rdt_libero.py --config 'configs/base.yaml' "
                                   "--pretrained '/srv/runs/libero 10/checkpoint-200' --text_encoder 'google/t5-v1_1-xxl' "
                                   "--vision_encoder 'google/siglip-so400m-patch14-384' --benchmark 'libero_90' "
                                   "--num_tasks '10' --max_steps '100' --exec_horizon '8' --record_video "
                                   "--video_output_dir '/srv/runs/libero 10/eval/checkpoint-200/videos' && mv "
                                   "libero_evaluation_results.json '/srv/runs/libero 10/eval/checkpoint-200'/ )"));

        // The workbench's own values win over a user's: the checkpoint is the one picked.
        const Result<QByteArray> overridden =
            seed->line(context, {{QStringLiteral("checkpoint"), QStringLiteral("/elsewhere")}});
        QVERIFY(overridden && !overridden->contains("/elsewhere"));
        EvalCommandContext noOutput = context;
        noOutput.outputDir.clear();
        const Result<QByteArray> refused = seed->line(noOutput);
        QVERIFY(!refused && refused.error().message.contains(QLatin1String("{video_dir} has no value")));
    }

    void usersPresetsReplaceByNameAndAreCheckedOnLoad()
    {
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("eval-commands.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"presets":[{"name":"rdt-trainer eval","command":"{trainer} eval --checkpoint {checkpoint} --output_dir {output_dir} --episodes 0-1"},
                                  {"name":"csv eval","command":"cd {output_dir} && ./eval.sh {checkpoint}","results":"success-csv","results_file":"sr.csv","fields":{"seeds":3}}]})");
        file.close();
        const Result<std::vector<EvalCommandPreset>> presets = EvalCommandPresets::load(path);
        QVERIFY2(presets, qPrintable(presets.error().message));
        QCOMPARE(presets->size(), std::size_t(4));
        QVERIFY(EvalCommandPresets::find(*presets, QStringLiteral("rdt-trainer eval"))->command.endsWith(QLatin1String("--episodes 0-1")));
        QCOMPARE(EvalCommandPresets::find(*presets, QStringLiteral("csv eval"))->fields.at(QStringLiteral("seeds")), QStringLiteral("3"));
        const Result<EvalCommandPreset> none = EvalCommandPresets::find(*presets, QStringLiteral("nope"));
        QVERIFY(!none && none.error().message.contains(QLatin1String("\"csv eval\"")));

        const struct {
            QByteArray json;
            const char *expected;
        } broken[] = {
            {"{\"presets\":[{\"name\":\"x\",\"command\":\"run \\\"{checkpoint}\\\"\"}]}", "presets[0]: eval command \"x\": {checkpoint} at column 6 is inside quotes"},
            {"{\"presets\":[{\"name\":\"x\",\"command\":\"run\",\"results\":\"libero-json\"}]}", "needs \"results_file\""},
            {"{\"presets\":[{\"name\":\"x\",\"command\":\"run\",\"results\":\"xml\"}]}", "\"results\" is \"xml\""},
            {"{\"presets\":[{\"name\":\"x\",\"command\":\"run\",\"environment\":{\"A-B\":\"1\"}}]}", "\"A-B\" is not a valid"},
            {"{\"presets\":[{\"command\":\"run\"}]}", "presets[0] has no \"name\""},
            {"{\"presets\":[{\"name\":\"x\"}]}", "has no \"command\""},
            {"{\"presets\":", "not JSON at byte"},
        };
        for (const auto &[json, expected] : broken) {
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(json);
            file.close();
            const Result<std::vector<EvalCommandPreset>> refused = EvalCommandPresets::load(path);
            QVERIFY2(!refused, expected);
            QVERIFY2(refused.error().message.startsWith(QStringLiteral("eval commands %1: ").arg(path)),
                     qPrintable(refused.error().message));
            QVERIFY2(refused.error().message.contains(QLatin1String(expected)), qPrintable(refused.error().message));
        }
    }

    void readsTheSeedsLiberoResults()
    {
        const QStringList videos{QStringLiteral("videos/task_01_KITCHEN_SCENE10_close_the_top_d_20261203_101500.mp4"),
                                 QStringLiteral("videos/task_01_KITCHEN_SCENE10_close_the_top_d_20261203_111500.mp4"),
                                 QStringLiteral("videos/task_03_LIVING_ROOM_SCENE1_pick_up_the_20261203_111900.mp4"),
                                 QStringLiteral("videos/notes.mp4")};
        const Result<EvalResults> results =
            ServerEvalResults::fromLiberoJson(kLiberoJson, QStringLiteral("libero_evaluation_results.json"), videos);
        QVERIFY2(results, qPrintable(results.error().message));
        QCOMPARE(results->episodes.size(), std::size_t(3));
        QCOMPARE(results->episodes[0].episode, QStringLiteral("task_01"));
        QCOMPARE(results->episodes[0].success, std::optional<bool>(true));
        QCOMPARE(results->episodes[0].steps, 112);
        QCOMPARE(results->episodes[0].video, videos[1]);
        QVERIFY(results->episodes[1].video.isEmpty());
        QCOMPARE(results->episodes[2].video, videos[2]);
        QCOMPARE(results->episodes[2].error, QStringLiteral("MuJoCo simulation unstable"));
        QCOMPARE(results->aggregate.episodes, 3);
        QVERIFY(std::abs(results->aggregate.successRate - 1.0 / 3.0) < 1e-12);
        QCOMPARE(results->tasks.at(QStringLiteral("KITCHEN_SCENE10_close_the_top_drawer_of_the_cabinet")).successRate, 1.0);

        const Result<EvalResults> noList = ServerEvalResults::fromLiberoJson(R"({"success_rate":0.5})", QStringLiteral("r.json"));
        QVERIFY(!noList && noList.error().message == QLatin1String("read eval results r.json: \"task_results\" is missing or not a list"));
        const Result<EvalResults> noSuccess = ServerEvalResults::fromLiberoJson(
            R"({"task_results":[{"task_name":"t","success":"yes"}]})", QStringLiteral("r.json"));
        QVERIFY(!noSuccess && noSuccess.error().message.contains(QLatin1String("task_results[0] (t) has no true/false \"success\"")));
    }

    void readsOpenVlasVideoNamesNewestEvalOnly()
    {
        const QStringList videos{
            QStringLiteral("rollouts/2026_12_02/2026_12_02-09_00_00--episode=1--success=False--task=put_the_bowl_on_the_plate.mp4"),
            QStringLiteral("rollouts/2026_12_03/2026_12_03-10_11_12--episode=2--success=False--task=pick_up_the_black_bowl_between_the_plate_and_the_r.mp4"),
            QStringLiteral("rollouts/2026_12_03/2026_12_03-10_11_12--episode=1--success=True--task=pick_up_the_black_bowl_between_the_plate_and_the_r.mp4"),
            QStringLiteral("rollouts/2026_12_03/2026_12_03-10_11_12--episode=10--success=True--task=put_the_bowl_on_the_plate--masked.mp4"),
            QStringLiteral("rollouts/2026_12_03/unrelated.mp4")};
        const Result<EvalResults> results = ServerEvalResults::fromOpenVlaVideos(videos, QStringLiteral("eval"));
        QVERIFY2(results, qPrintable(results.error().message));
        QCOMPARE(results->episodes.size(), std::size_t(3));
        QCOMPARE(results->episodes[0].index, 1);
        QCOMPARE(results->episodes[0].success, std::optional<bool>(true));
        QCOMPARE(results->episodes[0].task, QStringLiteral("pick up the black bowl between the plate and the r"));
        QCOMPARE(results->episodes[2].index, 10);
        QCOMPARE(results->episodes[2].task, QStringLiteral("put the bowl on the plate"));
        QCOMPARE(results->episodes[2].video, videos[3]);
        QVERIFY(std::abs(results->aggregate.successRate - 2.0 / 3.0) < 1e-12);
        QCOMPARE(results->tasks.at(QStringLiteral("put the bowl on the plate")).successRate, 1.0);
        QVERIFY(!ServerEvalResults::fromOpenVlaVideos({QStringLiteral("a.mp4")}, QStringLiteral("eval")));
    }

    void readsSuccessCsvs()
    {
        const Result<EvalResults> weighted = ServerEvalResults::fromSuccessCsv(
            "Task,Success_Rate,Episodes\n\"open the drawer, then close it\",80%,50\nput bowl,0.5,10\n", QStringLiteral("sr.csv"));
        QVERIFY2(weighted, qPrintable(weighted.error().message));
        QCOMPARE(weighted->tasks.size(), std::size_t(2));
        QCOMPARE(weighted->tasks.at(QStringLiteral("open the drawer, then close it")).successRate, 0.8);
        QCOMPARE(weighted->aggregate.episodes, 60);
        QVERIFY(std::abs(weighted->aggregate.successRate - 45.0 / 60.0) < 1e-12);

        const Result<EvalResults> summary =
            ServerEvalResults::fromSuccessCsv("task_name,success\na,90\nb,70\naverage,81\n", QStringLiteral("sr.csv"));
        QVERIFY2(summary, qPrintable(summary.error().message));
        QCOMPARE(summary->aggregate.successRate, 0.81);
        QCOMPARE(summary->tasks.at(QStringLiteral("a")).successRate, 0.9);

        const Result<EvalResults> badRate = ServerEvalResults::fromSuccessCsv("task,success_rate\na,lots\n", QStringLiteral("sr.csv"));
        QVERIFY(!badRate && badRate.error().message == QLatin1String("read eval results sr.csv: line 2: \"lots\" is not a success rate"));
        const Result<EvalResults> noColumn = ServerEvalResults::fromSuccessCsv("name,score\na,1\n", QStringLiteral("sr.csv"));
        QVERIFY(!noColumn && noColumn.error().message.contains(QLatin1String("names no task column")));
    }

    void loadsADownloadedEvalFolder()
    {
        QTemporaryDir folder;
        QVERIFY(QDir(folder.path()).mkpath(QStringLiteral("videos")));
        QFile json(folder.filePath(QStringLiteral("libero_evaluation_results.json")));
        QVERIFY(json.open(QIODevice::WriteOnly));
        json.write(kLiberoJson);
        json.close();
        QFile video(folder.filePath(QStringLiteral("videos/task_02_KITCHEN_SCENE10_put_the_black_b_20261203_111700.mp4")));
        QVERIFY(video.open(QIODevice::WriteOnly));
        video.close();
        const Result<EvalResults> results = ServerEvalResults::load(EvalResultsFormat::LiberoJson, folder.path(),
                                                                    QStringLiteral("libero_evaluation_results.json"));
        QVERIFY2(results, qPrintable(results.error().message));
        QCOMPARE(results->episodes[1].video, QStringLiteral("videos/task_02_KITCHEN_SCENE10_put_the_black_b_20261203_111700.mp4"));
        const Result<EvalResults> missing =
            ServerEvalResults::load(EvalResultsFormat::SuccessCsv, folder.path(), QStringLiteral("sr.csv"));
        QVERIFY(!missing && missing.error().message.contains(folder.filePath(QStringLiteral("sr.csv"))));
    }

    void aPresetsOwnFieldsAreTheOnesAUserSets()
    {
        const Result<std::vector<EvalCommandPreset>> presets = EvalCommandPresets::load(QString());
        QVERIFY2(presets, qPrintable(presets.error().message));
        const Result<EvalCommandPreset> seed =
            EvalCommandPresets::find(*presets, QStringLiteral("RDT LIBERO closed-loop (eval_sim/eval_rdt_libero.py)"));
        QVERIFY(seed);
        QCOMPARE(seed->userFields(), (QStringList{QStringLiteral("rdt_repo"), QStringLiteral("config"),
                                                  QStringLiteral("text_encoder"), QStringLiteral("vision_encoder"),
                                                  QStringLiteral("benchmark"), QStringLiteral("num_tasks"),
                                                  QStringLiteral("max_steps")}));
        QVERIFY(seed->checkUserValues({{QStringLiteral("benchmark"), QStringLiteral("libero_10")}}));
        const Result<void> unknown = seed->checkUserValues({{QStringLiteral("benchmarks"), QStringLiteral("x")}});
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().message,
                 QStringLiteral("eval command \"RDT LIBERO closed-loop (eval_sim/eval_rdt_libero.py)\" has no field "
                                "\"benchmarks\"; its fields are rdt_repo, config, text_encoder, vision_encoder, benchmark, "
                                "num_tasks, max_steps"));
        const Result<void> filled = seed->checkUserValues({{QStringLiteral("checkpoint"), QStringLiteral("/x")}});
        QVERIFY(!filled && filled.error().message.contains(QLatin1String("{checkpoint} is filled by the workbench")));
        const Result<EvalCommandPreset> trainer = EvalCommandPresets::find(*presets, EvalCommandPresets::trainerPresetName());
        QVERIFY(trainer->userFields().isEmpty());
        const Result<void> none = trainer->checkUserValues({{QStringLiteral("a"), QStringLiteral("b")}});
        QVERIFY(!none && none.error().message.endsWith(QLatin1String("it has no fields to set")));
        // A field the line uses without a default is the user's to give.
        EvalCommandPreset own;
        own.name = QStringLiteral("own");
        own.command = QStringLiteral("run {checkpoint} --seed {seed} --out {output_dir}");
        own.fields = {{QStringLiteral("extra"), QStringLiteral("1")}};
        QCOMPARE(own.userFields(), (QStringList{QStringLiteral("seed"), QStringLiteral("extra")}));
    }

    void anEvalRecordRoundTripsAndRefusesWhatItCannotRead()
    {
        EvalCommandPreset preset;
        preset.name = QStringLiteral("RDT LIBERO");
        preset.results = EvalResultsFormat::LiberoJson;
        preset.resultsFile = QStringLiteral("libero_evaluation_results.json");
        preset.fields = {{QStringLiteral("benchmark"), QStringLiteral("libero_90")}, {QStringLiteral("rdt_repo"), QStringLiteral("~/rdt")}};
        const EvalCommandRecord record = EvalCommandRecord::forPreset(preset, {{QStringLiteral("benchmark"), QStringLiteral("libero_10")}});
        const Result<EvalCommandRecord> back = EvalCommandRecord::fromJson(record.toJson(), QStringLiteral("r.json"));
        QVERIFY2(back, qPrintable(back.error().message));
        QCOMPARE(back->preset, preset.name);
        QCOMPARE(back->results, EvalResultsFormat::LiberoJson);
        QCOMPARE(back->resultsFile, preset.resultsFile);
        QCOMPARE(back->fields.at(QStringLiteral("benchmark")), QStringLiteral("libero_10"));
        QCOMPARE(back->fields.at(QStringLiteral("rdt_repo")), QStringLiteral("~/rdt"));
        const Result<EvalCommandRecord> badFormat =
            EvalCommandRecord::fromJson(R"({"preset":"x","results":"xml"})", QStringLiteral("r.json"));
        QVERIFY(!badFormat && badFormat.error().message.startsWith(QLatin1String("read eval record r.json: \"results\" is \"xml\"")));
        const Result<EvalCommandRecord> escape =
            EvalCommandRecord::fromJson(R"({"preset":"x","results":"libero-json","results_file":"../../.ssh/id_ed25519"})",
                                        QStringLiteral("r.json"));
        QVERIFY(!escape && escape.error().message.contains(QLatin1String("not a path inside the eval folder")));
    }

    // The record says how to read the folder, even where an earlier eval's results.json
    // still lies; without a record, what the folder holds decides.
    void aDownloadedFolderIsReadAsItsRecordSays()
    {
        QTemporaryDir folder;
        auto write = [&](const QString &name, const QByteArray &bytes) {
            QDir().mkpath(QFileInfo(folder.filePath(name)).path());
            QFile file(folder.filePath(name));
            return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
        };
        Result<std::optional<EvalResults>> empty = LocalEvalResults::load(folder.path());
        QVERIFY(empty && !*empty);
        QVERIFY(write(QStringLiteral("results.json"),
                      R"({"checkpoint":"checkpoint-5","weights":"ema","episodes":[{"index":0,"episode":"demo_0","steps":4,"mse":0.5}]})"));
        Result<std::optional<EvalResults>> trainer = LocalEvalResults::load(folder.path(), QStringLiteral("checkpoint-5"));
        QVERIFY(trainer && *trainer);
        QCOMPARE((*trainer)->episodes.at(0).mse, 0.5);
        QVERIFY(!(*trainer)->episodes.at(0).success);

        EvalCommandPreset seed;
        seed.name = QStringLiteral("seed");
        seed.results = EvalResultsFormat::LiberoJson;
        seed.resultsFile = QStringLiteral("libero_evaluation_results.json");
        QVERIFY(write(QLatin1String(EvalCommandRecord::kFileName), EvalCommandRecord::forPreset(seed, {}).toJson()));
        Result<std::optional<EvalResults>> waiting = LocalEvalResults::load(folder.path());
        QVERIFY2(waiting && !*waiting, "the record's results file is not here yet: no results, not the old ones");
        QVERIFY(write(QStringLiteral("libero_evaluation_results.json"), kLiberoJson));
        Result<std::optional<EvalResults>> seeds = LocalEvalResults::load(folder.path(), QStringLiteral("checkpoint-5"));
        QVERIFY2(seeds && *seeds, seeds ? "no results" : qPrintable(seeds.error().message));
        QCOMPARE((*seeds)->episodes.size(), std::size_t(3));
        QCOMPARE((*seeds)->checkpoint, QStringLiteral("checkpoint-5"));
        QCOMPARE((*seeds)->command, QStringLiteral("seed"));
        QCOMPARE((*seeds)->episodes.at(0).success, std::optional<bool>(true));

        QVERIFY(write(QLatin1String(EvalCommandRecord::kFileName), "{\"results\":"));
        Result<std::optional<EvalResults>> broken = LocalEvalResults::load(folder.path());
        QVERIFY(!broken && broken.error().message.contains(folder.filePath(QLatin1String(EvalCommandRecord::kFileName))));

        // No record: OpenVLA's videos say what they are.
        QTemporaryDir openvla;
        QVERIFY(QDir(openvla.path()).mkpath(QStringLiteral("rollouts/2026_12_03")));
        QFile video(openvla.filePath(QStringLiteral("rollouts/2026_12_03/2026_12_03-10_11_12--episode=1--success=True--task=put_the_bowl.mp4")));
        QVERIFY(video.open(QIODevice::WriteOnly));
        video.close();
        const Result<std::optional<LocalEvalSource>> source = LocalEvalResults::sourceOf(openvla.path());
        QVERIFY(source && *source && (*source)->format == EvalResultsFormat::OpenVlaVideos);
    }

    void explainsEvalLogFailures_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("inText");
        QTest::newRow("glad") << QStringLiteral("mujoco.FatalError: gladLoadGL error")
                              << int(FailureKind::HeadlessRenderingFailed) << QStringLiteral("MUJOCO_GL=egl");
        QTest::newRow("egl lib") << QStringLiteral("ImportError: Unable to load EGL library")
                                 << int(FailureKind::HeadlessRenderingFailed) << QStringLiteral("osmesa");
        QTest::newRow("glfw") << QStringLiteral("GLFWError: (65544) b'X11: The DISPLAY environment variable is missing'")
                              << int(FailureKind::HeadlessRenderingFailed) << QStringLiteral("Never glfw");
        QTest::newRow("libero") << QStringLiteral("ModuleNotFoundError: No module named 'libero'")
                                << int(FailureKind::PythonModuleMissing) << QStringLiteral("pip install -e LIBERO");
        QTest::newRow("robosuite") << QStringLiteral("ModuleNotFoundError: No module named 'robosuite.models'")
                                   << int(FailureKind::PythonModuleMissing) << QStringLiteral("cannot import robosuite.models");
        QTest::newRow("config") << QStringLiteral("FileNotFoundError: [Errno 2] No such file or directory: 'configs/base.yaml'")
                                << int(FailureKind::EvalFileMissing) << QStringLiteral("rdt_repo");
        QTest::newRow("oom as in training") << QStringLiteral("torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB")
                                            << int(FailureKind::CudaOutOfMemory) << QStringLiteral("bf16");
    }

    void explainsEvalLogFailures()
    {
        QFETCH(QString, line);
        QFETCH(int, kind);
        QFETCH(QString, inText);
        const std::optional<KnownFailure> failure = EvalLogFailures::recognise(line);
        QVERIFY(failure);
        QCOMPARE(int(failure->kind), kind);
        QVERIFY2((failure->explanation + failure->remedy).contains(inText), qPrintable(failure->explanation + failure->remedy));
        QCOMPARE(failure->line, line);
    }

    void ordinaryEvalLinesAreNotFailures()
    {
        const QStringList lines{QStringLiteral("📋 评估任务 1/5: KITCHEN_SCENE10_close_the_top_drawer_of_the_cabinet"),
                                QStringLiteral("Saved rollout MP4 at path ./rollouts/2026_12_03/x--episode=1--success=True--task=a.mp4"),
                                QStringLiteral("# successes: 41 (82.0%)"), QStringLiteral("MUJOCO_GL=egl")};
        QVERIFY(EvalLogFailures::recogniseAll(lines).isEmpty());
        const QList<KnownFailure> repeated = EvalLogFailures::recogniseAll(
            {QStringLiteral("ModuleNotFoundError: No module named 'libero'"), QStringLiteral("mujoco.FatalError: gladLoadGL error"),
             QStringLiteral("ModuleNotFoundError: No module named 'libero'")});
        QCOMPARE(repeated.size(), 2);
        QCOMPARE(repeated[0].kind, FailureKind::PythonModuleMissing);
    }
};

QTEST_GUILESS_MAIN(EvalCommandsTest)
#include "unit_eval_commands.moc"
