// Run comparison: three runs' configurations (as RunExportReader reads them) side by side;
// the settings that differ (a flag's value, a flag only one run has, an environment
// variable, the dataset's MD5) are marked and the equal ones not; "Only differences" hides
// the rest. The dialog is looked at (screenshot).
#include "RunComparisonDialog.h"
#include "RunComparisonModel.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QTableView>
#include <QtTest>

using namespace rdt;

namespace {

RunConfiguration configuration(const QString &batch, const QString &datasetMd5, bool checkpointing)
{
    RunConfiguration c;
    c.trainerArguments = {"--config", "/srv/rdt/checkpoints/rdt-1b/config.json", "--dataset", "/srv/rdt/datasets/libero_10.hdf5",
                          "--train_batch_size", batch, "--learning_rate=0.0001", "--max_train_steps", "30000"};
    if (checkpointing)
        c.trainerArguments.append("--gradient_checkpointing");
    c.environment = {"CUDA_VISIBLE_DEVICES=0", "HF_HUB_OFFLINE=1"};
    c.datasetPath = "/srv/rdt/datasets/libero_10.hdf5";
    c.datasetFiles = {FileChecksum{"libero_10.hdf5", 1000, 0, datasetMd5}};
    c.modelPath = "/srv/rdt/checkpoints/rdt-1b";
    c.modelFiles = {FileChecksum{"config.json", 10, 0, "0123456789abcdef0123456789abcdef"},
                    FileChecksum{"pytorch_model.bin", 20, 0, "fedcba9876543210fedcba9876543210"}};
    return c;
}

} // namespace

class RunComparisonTest : public QObject {
    Q_OBJECT

private slots:
    void differencesAreMarked()
    {
        RunComparisonDialog dialog;
        RunComparisonModel *model = dialog.model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RunConfiguration c = configuration("16", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true);
        c.environment.append("NCCL_DEBUG=INFO");
        model->setRuns({"bs32", "bs16", "bs32-new-data"},
                       {configuration("32", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false), c,
                        configuration("32", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", false)});
        dialog.updateSummary();
        QCOMPARE(model->columnCount(), 4);
        const auto differs = [&](const QString &setting) {
            const int row = model->rowOf(setting);
            return row >= 0 && model->index(row, 0).data(RunComparisonModel::DiffersRole).toBool();
        };
        QVERIFY(differs("--train_batch_size"));
        QCOMPARE(model->index(model->rowOf("--train_batch_size"), 2).data().toString(), QStringLiteral("16"));
        QVERIFY(differs("--gradient_checkpointing"));   // only one run has it
        QCOMPARE(model->index(model->rowOf("--gradient_checkpointing"), 2).data().toString(), QStringLiteral("on"));
        QCOMPARE(model->index(model->rowOf("--gradient_checkpointing"), 1).data().toString(), QString());
        QVERIFY(differs("env NCCL_DEBUG"));
        QVERIFY(differs("dataset"));                    // same path, another MD5
        QVERIFY(!differs("--learning_rate"));           // "--learning_rate=0.0001" in every run
        QCOMPARE(model->index(model->rowOf("--learning_rate"), 1).data().toString(), QStringLiteral("0.0001"));
        QVERIFY(!differs("env CUDA_VISIBLE_DEVICES"));
        QVERIFY(!differs("pretrained model"));
        QCOMPARE(model->differingRows(), 4);
        QVERIFY(model->index(model->rowOf("dataset"), 1).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model->index(model->rowOf("--learning_rate"), 1).data(Qt::BackgroundRole).isValid());

        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
        QVERIFY(dialog.grab().save(QStringLiteral(RDT_SCREENSHOT_DIR "/run-comparison.png")));

        dialog.onlyDifferencesBox()->setChecked(true);
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(model->rowOf("--learning_rate"), -1);
        QVERIFY(dialog.grab().save(QStringLiteral(RDT_SCREENSHOT_DIR "/run-comparison-differences.png")));
    }
};

QTEST_MAIN(RunComparisonTest)
#include "gui_run_comparison.moc"
