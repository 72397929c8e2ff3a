// A server's own eval script launched from the Eval tab on the real jump topology: a user's
// preset (from the eval-commands.json in the test's config folder) whose line leaves what
// eval_rdt_libero.py leaves (libero_evaluation_results.json and a task_01_... MPEG-4 video
// at 10 fps, as OpenCV's mp4v writer makes it), one of its fields set in the tab's form to a
// folder whose name has a space and a quote. The eval runs detached on the GPU host through
// the jump host, ends, is downloaded verified, and the results table shows success per
// task from the script's own file; the video plays to its end.
#include "CheckpointTableModel.h"
#include "EvalCache.h"
#include "EvalController.h"
#include "EvalFieldsForm.h"
#include "EvalFolder.h"
#include "EvalLaunchPanel.h"
#include "EvalPlayer.h"
#include "EvalResultsModel.h"
#include "EvalView.h"
#include "MediaBackend.h"
#include "support_eval_media.h"
#include "support_files.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QMediaPlayer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace rdt;

namespace {

// The script's stand-in copies what the seed's script writes from {source}; everything
// else (detaching, following, downloading, reading) is the workbench's own.
constexpr char kPresets[] = R"({"presets":[{
  "name": "LIBERO from files",
  "command": "cp {source}/libero_evaluation_results.json {output_dir}/ && mkdir -p {video_dir} && cp {source}/task_01_KITCHEN_SCENE10_close_the_top_d_20261203_111500.mp4 {video_dir}/",
  "fields": {"source": "/nowhere"},
  "results": "libero-json",
  "results_file": "libero_evaluation_results.json"
}]})";

constexpr char kLiberoJson[] = R"({"total_tasks": 2, "successful_tasks": 1, "total_steps": 300,
  "task_results": [
    {"task_name": "KITCHEN_SCENE10_close_the_top_drawer_of_the_cabinet", "success": true, "steps": 100, "reward": 1.0},
    {"task_name": "KITCHEN_SCENE10_put_the_black_bowl_in_the_top_drawer", "success": false, "steps": 200, "reward": 0.0}],
  "success_rate": 0.5, "avg_steps": 150.0})";

constexpr int kFrames = 20;

} // namespace

class EvalPresetTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_work;
    QString m_root;
    QString m_source;
    std::unique_ptr<SshClient> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_work.isValid());
        m_root = QDir(m_work.path()).canonicalPath() + QStringLiteral("/root");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/runs/r1/checkpoint-10")));
        m_source = m_root + QStringLiteral("/eval's source files");
        QVERIFY(QDir().mkpath(m_source));
        QVERIFY(writeFile(m_source + QStringLiteral("/libero_evaluation_results.json"), kLiberoJson));
        const QString error = rdt::test::makeCounterVideo(
            m_source + QStringLiteral("/task_01_KITCHEN_SCENE10_close_the_top_d_20261203_111500.mp4"),
            rdt::test::VideoCodec::Mpeg4Part2, 10, kFrames);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(QDir().mkpath(qEnvironmentVariable("XDG_CONFIG_HOME") + QStringLiteral("/rdt-workbench")));
        QVERIFY(writeFile(qEnvironmentVariable("XDG_CONFIG_HOME") + QStringLiteral("/rdt-workbench/eval-commands.json"), kPresets));
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(c.error.message));
        m_client = std::move(c.client);
    }

    void launchFromTheTabDownloadAndPlay()
    {
        EvalView view;
        view.resize(1140, 780);
        CheckpointTableModel checkpoints;
        checkpoints.setCheckpoints({{10, QDateTime::currentDateTime(), 1000, QStringLiteral("checkpoint-10")}});
        view.launchPanel()->setCheckpointModel(&checkpoints);
        EvalController controller(&view);
        controller.setCache(EvalCache(m_work.path() + QStringLiteral("/cache")));
        controller.setRun(QStringLiteral("r1"));
        controller.attach(m_client.get(), m_root, QStringLiteral("gpu"));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        EvalLaunchPanel *panel = view.launchPanel();
        const int preset = panel->commandBox()->findText(QStringLiteral("LIBERO from files"));
        QVERIFY2(preset > 0, qPrintable(panel->statusText()));
        panel->commandBox()->setCurrentIndex(preset);
        QCOMPARE(panel->fieldsForm()->fieldNames(), QStringList{QStringLiteral("source")});
        panel->fieldsForm()->lineFor(QStringLiteral("source"))->setText(m_source);

        QSignalSpy ended(&controller, &EvalController::evalEnded);
        QSignalSpy fetched(&controller, &EvalController::downloadFinished);
        panel->launchButton()->click();
        QVERIFY2(ended.wait(120000) || ended.size() == 1, qPrintable(QStringLiteral("the eval never ended: ") + panel->statusText()));
        QCOMPARE(ended.first().at(1).toString(), QString());
        QVERIFY2(fetched.wait(60000) || fetched.size() == 1, qPrintable(QStringLiteral("nothing fetched: ") + panel->statusText()));
        const Error fetchError = fetched.first().at(1).value<Error>();
        QVERIFY2(fetchError.code == ErrorCode::None, qPrintable(fetchError.message));

        // The server's folder holds the script's files and the record of what ran.
        const QString server = EvalFolder::folder(m_root, QStringLiteral("r1"), QStringLiteral("checkpoint-10"));
        QVERIFY(QFileInfo::exists(server + QStringLiteral("/eval-command.json")));
        QVERIFY(QFileInfo::exists(controller.localFolder() + QStringLiteral("/eval-command.json")));

        EvalResultsModel *model = view.resultsModel();
        QTRY_COMPARE(model->rowCount(), 2);
        QCOMPARE(model->index(0, EvalResultsModel::SuccessColumn).data().toString(), QStringLiteral("yes"));
        QCOMPARE(model->index(1, EvalResultsModel::SuccessColumn).data().toString(), QStringLiteral("no"));
        QCOMPARE(model->index(0, EvalResultsModel::MseColumn).data().toString(), QStringLiteral("n/a"));
        QTRY_COMPARE(model->videoState(0), EvalVideoState::Here);
        QVERIFY2(view.summaryText().contains(QStringLiteral("success rate 50.0% (1 of 2)")), qPrintable(view.summaryText()));

        EvalPlayer *player = view.player();
        QCOMPARE(player->episodes().size(), std::size_t(1));
        view.playEpisode(0);
        QTRY_COMPARE_WITH_TIMEOUT(player->frameCount(), kFrames, 10000);
        player->setSpeed(2.0);
        player->play();
        QTRY_COMPARE_WITH_TIMEOUT(player->mediaPlayer()->mediaStatus(), QMediaPlayer::EndOfMedia, 20000);
        QVERIFY2(!player->hasError(), qPrintable(player->messageText()));
        QVERIFY(QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR)));
        QVERIFY(view.grab().save(QStringLiteral(RDT_SCREENSHOT_DIR "/eval_tab_server_preset.png")));
        controller.detach();
    }
};

int main(int argc, char **argv)
{
    // The user's eval presets and settings are this run's, never the real ones.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, config.path());
    rdt::preferFfmpegMediaBackend();
    QApplication app(argc, argv);
    app.setOrganizationName(QStringLiteral("rdt-workbench-test"));
    EvalPresetTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "sshd_gui_eval_preset.moc"
