// The Eval tab (EvalView fed by EvalController) on evals a server's own LIBERO scripts made,
// laid out in the local eval cache as the download leaves them: the seed's
// eval_rdt_libero.py (a real libero_evaluation_results.json, task_NN_... videos and the
// eval-command.json the launcher leaves) and OpenVLA's run_libero_eval.py (only its
// ...--episode=N--success=True--task=....mp4 names), the videos MPEG-4 Part 2 at 10 fps as
// OpenCV's mp4v writer makes them. Rows show success per episode, action errors read "n/a"
// with the reason, and each video plays to its end in the embedded player. Also: a preset's
// own fields as a form, remembered per host, the options it does not read disabled; the
// gripper agreement in view; the cache's size shown and cleared.
#include "CheckpointTableModel.h"
#include "EvalCache.h"
#include "EvalCommandPresets.h"
#include "EvalCommandRecord.h"
#include "EvalController.h"
#include "EvalFieldMemory.h"
#include "EvalFieldsForm.h"
#include "EvalLaunchPanel.h"
#include "EvalPlayer.h"
#include "EvalView.h"
#include "MediaBackend.h"
#include "RemotePathBrowseButton.h"
#include "VideoFrameView.h"
#include "support_eval_media.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace rdt;
using namespace rdt::test;

namespace {

const QString kSeedPreset = QStringLiteral("RDT LIBERO closed-loop (eval_sim/eval_rdt_libero.py)");

// As eval_rdt_libero.py's json.dump(results, f, indent=2) writes it: three tasks, the
// third failed with an error.
const QByteArray kLiberoJson = R"({
  "total_tasks": 3,
  "successful_tasks": 1,
  "total_steps": 412,
  "task_results": [
    {"task_name": "KITCHEN_SCENE10_close_the_top_drawer_of_the_cabinet", "success": true, "steps": 112, "reward": 1.0},
    {"task_name": "KITCHEN_SCENE10_put_the_black_bowl_in_the_top_drawer", "success": false, "steps": 200, "reward": 0.0},
    {"task_name": "LIVING_ROOM_SCENE1_pick_up_the_alphabet_soup", "success": false, "steps": 100, "reward": 0,
     "error": "MuJoCo simulation unstable"}
  ],
  "success_rate": 0.3333333333333333,
  "avg_steps": 137.33333333333334
})";

// The seed names its videos task_{idx+1:02d}_{task_name[:30]}_{timestamp}.mp4.
const QString kSeedVideos[] = {QStringLiteral("videos/task_01_KITCHEN_SCENE10_close_the_top_d_20261203_111500.mp4"),
                               QStringLiteral("videos/task_03_LIVING_ROOM_SCENE1_pick_up_the_20261203_111900.mp4")};
const int kSeedFrames[] = {24, 16};

const QString kOpenVlaVideos[] = {
    QStringLiteral("rollouts/2026_12_03/2026_12_03-10_11_12--episode=1--success=True--task=put_the_bowl_on_the_plate.mp4"),
    QStringLiteral("rollouts/2026_12_03/2026_12_03-10_11_12--episode=2--success=False--task=put_the_bowl_on_the_plate.mp4")};
const int kOpenVlaFrames[] = {20, 12};

} // namespace

class EvalServerResultsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void seedsResultsFillTheTableAndPlayToTheEnd();
    void openVlaNamesAloneFillTheTable();
    void aPresetsFieldsAreAFormRememberedPerHost();
    void gripperAgreementIsInViewAndNaSaysWhy();
    void clearingTheCacheEmptiesItAndSaysSo();

private:
    QString folderOf(const QString &checkpoint) const;
    int paintedFrame() const { return frameIndexIn(m_view->player()->videoView()->image()); }
    void playToTheEnd(int episode, int frames);
    void saveScreenshot(const QString &name);

    QTemporaryDir m_cacheRoot;
    EvalView *m_view = nullptr;
    CheckpointTableModel *m_checkpoints = nullptr;
    EvalController *m_controller = nullptr;
};

QString EvalServerResultsTest::folderOf(const QString &checkpoint) const
{
    const Result<QString> folder = EvalCache(m_cacheRoot.path()).folder(QStringLiteral("local"), QStringLiteral("r1"), checkpoint);
    if (!folder)
        qFatal("%s", qPrintable(folder.error().message));
    return *folder;
}

void EvalServerResultsTest::initTestCase()
{
    QVERIFY(m_cacheRoot.isValid());
    // checkpoint-100: the seed's eval, launched from a preset (its record is there).
    const QString seed = folderOf(QStringLiteral("checkpoint-100"));
    QVERIFY(QDir().mkpath(seed + QStringLiteral("/videos")));
    QVERIFY(writeFile(seed + QStringLiteral("/libero_evaluation_results.json"), kLiberoJson));
    const Result<std::vector<EvalCommandPreset>> presets = EvalCommandPresets::load(QString());
    QVERIFY2(presets, qPrintable(presets.error().message));
    const Result<EvalCommandPreset> preset = EvalCommandPresets::find(*presets, kSeedPreset);
    QVERIFY(preset);
    QVERIFY(writeFile(seed + QLatin1Char('/') + QLatin1String(EvalCommandRecord::kFileName),
                      EvalCommandRecord::forPreset(*preset, {}).toJson()));
    for (int i = 0; i < 2; ++i) {
        const QString error = makeCounterVideo(seed + QLatin1Char('/') + kSeedVideos[i], VideoCodec::Mpeg4Part2, 10, kSeedFrames[i]);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    // checkpoint-200: OpenVLA's, with no record (an eval started by hand on the server).
    const QString openvla = folderOf(QStringLiteral("checkpoint-200"));
    QVERIFY(QDir().mkpath(openvla + QStringLiteral("/rollouts/2026_12_03")));
    for (int i = 0; i < 2; ++i) {
        const QString error = makeCounterVideo(openvla + QLatin1Char('/') + kOpenVlaVideos[i], VideoCodec::Mpeg4Part2, 10,
                                               kOpenVlaFrames[i]);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    // checkpoint-300: the trainer's eval, one episode whose gripper figure is null.
    const QString trainer = folderOf(QStringLiteral("checkpoint-300"));
    QVERIFY(QDir().mkpath(trainer));
    QJsonArray episodes;
    for (int i = 0; i < 4; ++i) {
        QJsonObject episode{{QStringLiteral("index"), i}, {QStringLiteral("episode"), QStringLiteral("demo_%1").arg(i)},
                            {QStringLiteral("task"), QStringLiteral("pick up the red block")}, {QStringLiteral("steps"), 40},
                            {QStringLiteral("mse"), 0.3876 + i * 0.001}, {QStringLiteral("l2err"), 0.5636},
                            {QStringLiteral("gripper_agreement"), i == 3 ? QJsonValue() : QJsonValue(0.3)},
                            {QStringLiteral("video"), QStringLiteral("videos/episode_%1_pick_up_the_red_block.mp4").arg(i, 3, 10, QLatin1Char('0'))}};
        episodes.append(episode);
    }
    const QJsonObject results{{QStringLiteral("checkpoint"), QStringLiteral("checkpoint-300")}, {QStringLiteral("weights"), QStringLiteral("ema")},
                              {QStringLiteral("episodes"), episodes},
                              {QStringLiteral("aggregate"), QJsonObject{{QStringLiteral("episodes"), 4}, {QStringLiteral("mse"), 0.3888},
                                                                        {QStringLiteral("l2err"), 0.7594}, {QStringLiteral("gripper_agreement"), 0.3}}}};
    QVERIFY(writeFile(trainer + QStringLiteral("/results.json"), QJsonDocument(results).toJson()));
}

void EvalServerResultsTest::init()
{
    m_view = new EvalView;
    // About what the dashboard gives the Eval tab at 1600x900.
    m_view->resize(1140, 780);
    m_checkpoints = new CheckpointTableModel(m_view);
    std::vector<CheckpointRow> rows;
    for (qint64 step : {100, 200, 300})
        rows.push_back({step, QDateTime::currentDateTime(), 1000, QStringLiteral("checkpoint-%1").arg(step)});
    m_checkpoints->setCheckpoints(rows);
    m_view->launchPanel()->setCheckpointModel(m_checkpoints);
    m_controller = new EvalController(m_view, m_view);
    m_controller->setCache(EvalCache(m_cacheRoot.path()));
    m_controller->setRun(QStringLiteral("r1"));
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void EvalServerResultsTest::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

void EvalServerResultsTest::playToTheEnd(int episode, int frames)
{
    EvalPlayer *player = m_view->player();
    player->openEpisode(episode);
    QTRY_COMPARE_WITH_TIMEOUT(paintedFrame(), 0, 10000);
    QTRY_COMPARE(player->framesPerSecond(), 10.0);
    QTRY_COMPARE(player->frameCount(), frames);
    player->setSpeed(2.0);
    player->play();
    QTRY_COMPARE_WITH_TIMEOUT(player->mediaPlayer()->mediaStatus(), QMediaPlayer::EndOfMedia, 20000);
    QTRY_COMPARE(paintedFrame(), frames - 1);
    QVERIFY2(!player->hasError(), qPrintable(player->messageText()));
}

void EvalServerResultsTest::saveScreenshot(const QString &name)
{
    QTest::qWait(100);
    QVERIFY(QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR)));
    const QString file = QStringLiteral(RDT_SCREENSHOT_DIR "/%1.png").arg(name);
    QVERIFY(m_view->grab().save(file));
    qInfo("screenshot: %s", qPrintable(file));
}

void EvalServerResultsTest::seedsResultsFillTheTableAndPlayToTheEnd()
{
    QAbstractItemModelTester tester(m_view->resultsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_view->launchPanel()->selectCheckpoint(QStringLiteral("checkpoint-100"));
    EvalResultsModel *model = m_view->resultsModel();
    QCOMPARE(model->rowCount(), 3);
    auto cell = [&](int row, int column, int role = Qt::DisplayRole) { return model->index(row, column).data(role).toString(); };
    QCOMPARE(cell(0, EvalResultsModel::SuccessColumn), QStringLiteral("yes"));
    QCOMPARE(cell(1, EvalResultsModel::SuccessColumn), QStringLiteral("no"));
    QCOMPARE(cell(2, EvalResultsModel::SuccessColumn), QStringLiteral("error"));
    QVERIFY(cell(2, EvalResultsModel::SuccessColumn, Qt::ToolTipRole).contains(QStringLiteral("MuJoCo simulation unstable")));
    QCOMPARE(cell(0, EvalResultsModel::StepsColumn), QStringLiteral("112"));
    QCOMPARE(cell(0, EvalResultsModel::TaskColumn), QStringLiteral("KITCHEN_SCENE10_close_the_top_drawer_of_the_cabinet"));
    for (int column : {EvalResultsModel::MseColumn, EvalResultsModel::L2Column, EvalResultsModel::GripperColumn}) {
        QCOMPARE(cell(0, column), QStringLiteral("n/a"));
        QVERIFY2(cell(0, column, Qt::ToolTipRole).contains(QStringLiteral("closed-loop")), qPrintable(cell(0, column, Qt::ToolTipRole)));
    }
    QCOMPARE(cell(0, EvalResultsModel::VideoColumn), QStringLiteral("here"));
    QCOMPARE(cell(1, EvalResultsModel::VideoColumn), QStringLiteral("not recorded"));
    QCOMPARE(cell(2, EvalResultsModel::VideoColumn), QStringLiteral("here"));
    QVERIFY2(m_view->summaryText().contains(QStringLiteral("checkpoint-100 (%1): 3 episodes, success rate 33.3% (1 of 3)").arg(kSeedPreset)),
             qPrintable(m_view->summaryText()));
    QVERIFY2(m_view->summaryText().contains(QStringLiteral("no action errors")), qPrintable(m_view->summaryText()));

    EvalPlayer *player = m_view->player();
    QCOMPARE(player->episodes().size(), std::size_t(2));
    playToTheEnd(0, kSeedFrames[0]);
    saveScreenshot(QStringLiteral("eval_view_libero_results"));
    // The table's row chooses the episode: task 3 is the player's second.
    const QTableView *table = m_view->resultsTable();
    const QModelIndex third = table->model()->index(2, EvalResultsModel::TaskColumn);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::NoModifier, table->visualRect(third).center());
    QCOMPARE(player->currentEpisode(), 1);
    playToTheEnd(1, kSeedFrames[1]);
}

void EvalServerResultsTest::openVlaNamesAloneFillTheTable()
{
    m_view->launchPanel()->selectCheckpoint(QStringLiteral("checkpoint-200"));
    EvalResultsModel *model = m_view->resultsModel();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, EvalResultsModel::SuccessColumn).data().toString(), QStringLiteral("yes"));
    QCOMPARE(model->index(1, EvalResultsModel::SuccessColumn).data().toString(), QStringLiteral("no"));
    QCOMPARE(model->index(0, EvalResultsModel::TaskColumn).data().toString(), QStringLiteral("put the bowl on the plate"));
    QCOMPARE(model->index(1, EvalResultsModel::MseColumn).data().toString(), QStringLiteral("n/a"));
    QVERIFY2(m_view->summaryText().startsWith(QStringLiteral("checkpoint-200: 2 episodes, success rate 50.0% (1 of 2)")),
             qPrintable(m_view->summaryText()));
    QCOMPARE(m_view->player()->episodes().size(), std::size_t(2));
    playToTheEnd(0, kOpenVlaFrames[0]);
    playToTheEnd(1, kOpenVlaFrames[1]);
}

void EvalServerResultsTest::aPresetsFieldsAreAFormRememberedPerHost()
{
    EvalLaunchPanel *panel = m_view->launchPanel();
    EvalFieldsForm *form = panel->fieldsForm();
    QVERIFY(!form->isVisible());   // the trainer's eval has no fields of its own
    const int seedIndex = panel->commandBox()->findText(kSeedPreset);
    QVERIFY(seedIndex > 0);
    panel->commandBox()->setCurrentIndex(seedIndex);
    QVERIFY(form->isVisible());
    QCOMPARE(form->fieldNames(), (QStringList{QStringLiteral("rdt_repo"), QStringLiteral("config"), QStringLiteral("text_encoder"),
                                              QStringLiteral("vision_encoder"), QStringLiteral("benchmark"),
                                              QStringLiteral("num_tasks"), QStringLiteral("max_steps")}));
    // The seed's line reads {exec_horizon} only: the options it ignores are disabled.
    QLineEdit *episodes = panel->findChild<QLineEdit *>(QString(), Qt::FindDirectChildrenOnly);
    QSpinBox *horizon = panel->findChild<QSpinBox *>();
    QCheckBox *video = panel->findChild<QCheckBox *>();
    QVERIFY(episodes && horizon && video);
    QVERIFY(!episodes->isEnabled() && !video->isEnabled() && horizon->isEnabled());
    QVERIFY(episodes->toolTip().contains(QStringLiteral("does not use")));
    QLineEdit *benchmark = form->lineFor(QStringLiteral("benchmark"));
    QCOMPARE(benchmark->placeholderText(), QStringLiteral("libero_90"));
    // Server paths get Browse… (it needs a connection, none here); other fields do not.
    QVERIFY(form->lineFor(QStringLiteral("rdt_repo"))->parentWidget()->findChild<RemotePathBrowseButton *>(QString(), Qt::FindDirectChildrenOnly));
    QVERIFY(!benchmark->parentWidget()->findChild<RemotePathBrowseButton *>(QString(), Qt::FindDirectChildrenOnly));
    QVERIFY(EvalFieldsForm::isServerPath(QStringLiteral("config"), QStringLiteral("/etc/rdt.yaml")));
    QVERIFY(!EvalFieldsForm::isServerPath(QStringLiteral("config"), QStringLiteral("configs/base.yaml")));
    benchmark->setFocus();
    QTest::keyClicks(benchmark, QStringLiteral("libero_10"));
    QTest::keyClick(benchmark, Qt::Key_Return);
    QLineEdit *repo = form->lineFor(QStringLiteral("rdt_repo"));
    repo->setText(QStringLiteral("/srv/my rdt/it's here"));
    Q_EMIT repo->editingFinished();

    QSignalSpy launched(panel, &EvalLaunchPanel::launchRequested);
    QTest::mouseClick(panel->launchButton(), Qt::LeftButton);
    QCOMPARE(launched.count(), 1);
    const auto options = launched.at(0).at(0).value<EvalLaunchOptions>();
    QCOMPARE(options.command, kSeedPreset);
    QCOMPARE(options.fieldValues.size(), std::size_t(2));
    QCOMPARE(options.fieldValues.at(QStringLiteral("benchmark")), QStringLiteral("libero_10"));
    QCOMPARE(options.fieldValues.at(QStringLiteral("rdt_repo")), QStringLiteral("/srv/my rdt/it's here"));
    // Not connected: the launch is refused in words, not attempted.
    QVERIFY2(panel->statusText().contains(QStringLiteral("Not connected")), qPrintable(panel->statusText()));

    // A new window for the same host offers the values again; another host has its own.
    cleanup();
    init();
    panel = m_view->launchPanel();
    panel->commandBox()->setCurrentIndex(panel->commandBox()->findText(kSeedPreset));
    QCOMPARE(panel->fieldsForm()->lineFor(QStringLiteral("benchmark"))->text(), QStringLiteral("libero_10"));
    QCOMPARE(panel->fieldsForm()->lineFor(QStringLiteral("rdt_repo"))->text(), QStringLiteral("/srv/my rdt/it's here"));
    QCOMPARE(panel->fieldsForm()->lineFor(QStringLiteral("config"))->text(), QString());
    QVERIFY(EvalFieldMemory::values(QStringLiteral("gpu-b"), kSeedPreset).empty());
    EvalFieldMemory::remember(QStringLiteral("gpu-b"), kSeedPreset, {{QStringLiteral("benchmark"), QStringLiteral("libero_spatial")}});
    QCOMPARE(EvalFieldMemory::values(QStringLiteral("gpu-b"), kSeedPreset).at(QStringLiteral("benchmark")), QStringLiteral("libero_spatial"));
    QCOMPARE(EvalFieldMemory::values(QString(), kSeedPreset).at(QStringLiteral("benchmark")), QStringLiteral("libero_10"));
    saveScreenshot(QStringLiteral("eval_view_preset_fields"));
    // Back to the trainer's eval: no fields, none sent.
    panel->commandBox()->setCurrentIndex(0);
    QVERIFY(!panel->fieldsForm()->isVisible());
    QVERIFY(panel->options().fieldValues.empty());
    for (QWidget *input : std::initializer_list<QWidget *>{panel->findChild<QLineEdit *>(QString(), Qt::FindDirectChildrenOnly),
                                                           panel->findChild<QSpinBox *>(), panel->findChild<QCheckBox *>()})
        QVERIFY(input->isEnabled());
}

// The trainer's eval at the dashboard's size: every column, the gripper agreement among
// them, is inside the table's viewport (a clipped column once showed as empty cells), and a
// null figure reads "n/a" with the reason.
void EvalServerResultsTest::gripperAgreementIsInViewAndNaSaysWhy()
{
    m_view->launchPanel()->selectCheckpoint(QStringLiteral("checkpoint-300"));
    QTableView *table = m_view->resultsTable();
    QCOMPARE(table->model()->rowCount(), 4);
    QTest::qWait(50);
    const QModelIndex gripper = table->model()->index(0, EvalResultsModel::GripperColumn);
    QCOMPARE(gripper.data().toString(), QStringLiteral("0.3"));
    for (int column = 0; column < EvalResultsModel::ColumnCount; ++column) {
        const QRect cell = table->visualRect(table->model()->index(0, column));
        QVERIFY2(table->viewport()->rect().contains(cell), qPrintable(QStringLiteral("column %1 (%2) at x %3..%4, viewport %5 wide")
                     .arg(column).arg(table->model()->headerData(column, Qt::Horizontal).toString())
                     .arg(cell.left()).arg(cell.right()).arg(table->viewport()->width())));
    }
    QVERIFY(gripper.data(Qt::ToolTipRole).toString().contains(QStringLiteral("30% of the 40 steps")));
    const QModelIndex missing = table->model()->index(3, EvalResultsModel::GripperColumn);
    QCOMPARE(missing.data().toString(), QStringLiteral("n/a"));
    QVERIFY2(missing.data(Qt::ToolTipRole).toString().contains(QStringLiteral("null in results.json")),
             qPrintable(missing.data(Qt::ToolTipRole).toString()));
    QCOMPARE(table->model()->index(0, EvalResultsModel::SuccessColumn).data().toString(), QStringLiteral("n/a"));
    QVERIFY2(m_view->summaryText().contains(QStringLiteral("gripper agreement 0.3")), qPrintable(m_view->summaryText()));
    saveScreenshot(QStringLiteral("eval_view_trainer_results"));
}

// Last: it deletes the other cases' folders. The size shown is the cache's on disk; Clear
// removes every downloaded eval and the table says there is none here any more.
void EvalServerResultsTest::clearingTheCacheEmptiesItAndSaysSo()
{
    m_view->launchPanel()->selectCheckpoint(QStringLiteral("checkpoint-100"));
    QCOMPARE(m_view->resultsModel()->rowCount(), 3);
    const qint64 bytes = EvalCache(m_cacheRoot.path()).sizeBytes();
    QVERIFY(bytes > 0);
    QVERIFY2(m_view->cacheText().endsWith(QLocale().formattedDataSize(bytes)), qPrintable(m_view->cacheText()));
    QPushButton *clear = m_view->findChild<QPushButton *>(QStringLiteral("clearEvalCache"));
    QVERIFY(clear->isEnabled());
    QTest::mouseClick(clear, Qt::LeftButton);
    QCOMPARE(EvalCache(m_cacheRoot.path()).sizeBytes(), qint64(0));
    QVERIFY(!QFileInfo::exists(folderOf(QStringLiteral("checkpoint-100")) + QStringLiteral("/libero_evaluation_results.json")));
    QCOMPARE(m_view->resultsModel()->rowCount(), 0);
    QVERIFY2(m_view->summaryText().contains(QStringLiteral("No eval of checkpoint-100 on this machine")), qPrintable(m_view->summaryText()));
    QVERIFY2(m_view->cacheText().endsWith(QLocale().formattedDataSize(0)), qPrintable(m_view->cacheText()));
    QVERIFY(!clear->isEnabled());
    QVERIFY(m_view->player()->episodes().empty());
}

int main(int argc, char **argv)
{
    // Settings and the user's eval presets live in a folder of this run, never the user's.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, config.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, config.path());
    rdt::preferFfmpegMediaBackend();
    QApplication app(argc, argv);
    app.setOrganizationName(QStringLiteral("rdt-workbench-test"));
    app.setApplicationName(QStringLiteral("eval-server-results"));
    EvalServerResultsTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "gui_eval_server_results.moc"
