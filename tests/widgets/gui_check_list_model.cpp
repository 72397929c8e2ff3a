// CheckListModel: model-contract checks with QAbstractItemModelTester, and the rows it
// makes from check items (GPU rows under the GPUs item).
#include "CheckListModel.h"

#include <QAbstractItemModelTester>
#include <QtTest>

class CheckListModelTest : public QObject {
    Q_OBJECT

private slots:
    void rowsFollowItemsAndGpus()
    {
        rdt::CheckListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

        rdt::CheckItem gpus;
        gpus.id = rdt::CheckId::Gpus;
        gpus.title = QStringLiteral("GPUs");
        gpus.status = rdt::CheckStatus::Warning;
        gpus.detail = QStringLiteral("2 GPUs");
        gpus.hint = QStringLiteral("wait for the other job");
        for (int i = 0; i < 2; ++i) {
            rdt::GpuInfo gpu;
            gpu.index = i;
            gpu.name = QStringLiteral("NVIDIA A800-SXM4-80GB");
            gpu.memoryTotalMiB = 81920;
            gpu.memoryUsedMiB = i == 0 ? 70000 : 0;
            gpu.utilizationPercent = i == 0 ? 98 : 0;
            gpus.gpus.append(gpu);
        }
        rdt::CheckItem disk;
        disk.id = rdt::CheckId::Disk;
        disk.title = QStringLiteral("Free disk");
        disk.status = rdt::CheckStatus::Ok;
        disk.detail = QStringLiteral("500 GiB free");
        disk.hint = QStringLiteral("not shown when ok");

        model.setItems({gpus, disk});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(rdt::CheckListModel::ColumnCount));
        QCOMPARE(model.index(0, rdt::CheckListModel::StatusColumn).data().toString(), QStringLiteral("warning"));
        QCOMPARE(model.index(0, rdt::CheckListModel::HintColumn).data().toString(), QStringLiteral("wait for the other job"));
        QVERIFY(model.index(1, rdt::CheckListModel::CheckColumn).data().toString().contains(QLatin1String("GPU 0")));
        QVERIFY(model.index(1, rdt::CheckListModel::DetailColumn).data().toString().contains(QLatin1String("70000 / 81920")));
        QCOMPARE(model.index(3, rdt::CheckListModel::CheckColumn).data().toString(), QStringLiteral("Free disk"));
        QVERIFY(model.index(3, rdt::CheckListModel::HintColumn).data().toString().isEmpty());
        QVERIFY(!model.index(0, rdt::CheckListModel::StatusColumn).data(Qt::DecorationRole).isNull());

        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(CheckListModelTest)
#include "gui_check_list_model.moc"
