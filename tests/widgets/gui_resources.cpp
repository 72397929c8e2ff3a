// What the workbench takes from resources/ through Qt's resource system: the training
// presets (the values each sets, as the wizard had them in code before, and one clear error
// for a broken file) and the application icon at every size the desktop entry's icon needs.
#include "MainWindow.h"
#include "WorkbenchIcon.h"
#include "wizard/TrainingPresets.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace rdt;

namespace {

const TrainingPreset *shippedPreset(const QString &name)
{
    for (const TrainingPreset &preset : TrainingPresets::shipped()) {
        if (preset.name == name)
            return &preset;
    }
    return nullptr;
}

TrainingSettings custom()
{
    TrainingSettings s;
    s.runName = QStringLiteral("libero-10");
    s.config = QStringLiteral("~/rdt/models/rdt-1b/config.json");
    s.dataset = QStringLiteral("~/rdt/data/libero_10");
    s.pretrained = QStringLiteral("~/rdt/models/rdt-1b");
    s.environment = {{"OMP_NUM_THREADS", "4"}};
    s.modelSize = QStringLiteral("RDT-170M");
    s.processes = 3;
    s.trainBatchSize = 17;
    s.lrWarmupSteps = 123;
    s.seed = 42;
    s.mixedPrecision = QStringLiteral("bf16");
    return s;
}

} // namespace

class ResourcesTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

private slots:
    void initTestCase()
    {
        // The main window reads host profiles from the user's settings: a throwaway home.
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("XDG_CONFIG_HOME", (m_home.path() + QStringLiteral("/.config")).toUtf8());
    }

    void presetsShipped()
    {
        QStringList names;
        for (const TrainingPreset &preset : TrainingPresets::shipped())
            names.append(preset.name);
        QCOMPARE(names, (QStringList{QStringLiteral("8 GPUs, single task"),
                                     QStringLiteral("1 GPU, single task"),
                                     QStringLiteral("CPU smoke test (sandbox)"),
                                     QStringLiteral("RDT's defaults")}));
    }

    void eightGpus()
    {
        const TrainingPreset *preset = shippedPreset(QStringLiteral("8 GPUs, single task"));
        QVERIFY(preset);
        const TrainingSettings s = preset->apply(custom());
        QCOMPARE(s.processes, 8);
        QCOMPARE(s.trainBatchSize, 4);
        QCOMPARE(s.learningRate, 1e-4);
        QCOMPARE(s.maxTrainSteps, 30000);
        QCOMPARE(s.checkpointingPeriod, 2000);
        QCOMPARE(s.checkpointsTotalLimit, 0);
        QCOMPARE(s.mixedPrecision, QStringLiteral("bf16"));
        QCOMPARE(s.device, QStringLiteral("cuda"));
        QCOMPARE(s.modelSize, QStringLiteral("RDT-1B"));
        // What the preset does not name stays as it was.
        QCOMPARE(s.lrWarmupSteps, 123);
        QCOMPARE(s.seed, 42);
        QCOMPARE(s.runName, QStringLiteral("libero-10"));
    }

    void oneGpu()
    {
        const TrainingPreset *preset = shippedPreset(QStringLiteral("1 GPU, single task"));
        QVERIFY(preset);
        const TrainingSettings s = preset->apply(custom());
        QCOMPARE(s.processes, 1);
        QCOMPARE(s.trainBatchSize, 4);
        QCOMPARE(s.maxTrainSteps, 30000);
        QCOMPARE(s.checkpointingPeriod, 2000);
        QVERIFY(s.gradientCheckpointing);
        QCOMPARE(s.device, QStringLiteral("cuda"));
        QCOMPARE(s.modelSize, QStringLiteral("RDT-1B"));
    }

    void cpuSmokeTest()
    {
        const TrainingPreset *preset = shippedPreset(QStringLiteral("CPU smoke test (sandbox)"));
        QVERIFY(preset);
        TrainingSettings start = custom();
        start.gradientCheckpointing = true;
        const TrainingSettings s = preset->apply(start);
        QCOMPARE(s.processes, 1);
        QCOMPARE(s.trainBatchSize, 2);
        QCOMPARE(s.maxTrainSteps, 20);
        QCOMPARE(s.checkpointingPeriod, 10);
        QCOMPARE(s.checkpointsTotalLimit, 1);
        QCOMPARE(s.lrWarmupSteps, 0);
        QCOMPARE(s.dataloaderNumWorkers, 0);
        QCOMPARE(s.mixedPrecision, QStringLiteral("no"));
        QVERIFY(!s.gradientCheckpointing);
        QCOMPARE(s.device, QStringLiteral("cpu"));
        QCOMPARE(s.modelSize, QStringLiteral("tiny (sandbox)"));
    }

    void rdtDefaultsKeepTheRunsIdentity()
    {
        const TrainingPreset *preset = shippedPreset(QStringLiteral("RDT's defaults"));
        QVERIFY(preset);
        const TrainingSettings start = custom();
        const TrainingSettings s = preset->apply(start);
        const TrainingSettings defaults;
        QCOMPARE(s.runName, start.runName);
        QCOMPARE(s.config, start.config);
        QCOMPARE(s.dataset, start.dataset);
        QCOMPARE(s.pretrained, start.pretrained);
        QCOMPARE(s.environment, start.environment);
        QCOMPARE(s.modelSize, start.modelSize);
        QCOMPARE(s.processes, defaults.processes);
        QCOMPARE(s.trainBatchSize, defaults.trainBatchSize);
        QCOMPARE(s.lrWarmupSteps, defaults.lrWarmupSteps);
        QCOMPARE(s.seed, defaults.seed);
        QCOMPARE(s.mixedPrecision, defaults.mixedPrecision);
    }

    void brokenPresetFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("not JSON") << QByteArray("{\"presets\": [")
                                  << QStringList{QStringLiteral("presets.json: not JSON at byte")};
        QTest::newRow("no list") << QByteArray("{\"preset\": []}")
                                 << QStringList{QStringLiteral("no \"presets\" list")};
        QTest::newRow("no name") << QByteArray(R"({"presets": [{"settings": {}}]})")
                                 << QStringList{QStringLiteral("preset 1 has no name")};
        QTest::newRow("unknown setting")
            << QByteArray(R"({"presets": [{"name": "fast", "settings": {"batch_size": 8}}]})")
            << QStringList{QStringLiteral("preset 'fast'"), QStringLiteral("unknown setting 'batch_size'"),
                           QStringLiteral("train_batch_size")};
        QTest::newRow("fractional count")
            << QByteArray(R"({"presets": [{"name": "odd", "settings": {"max_train_steps": 2.5}}]})")
            << QStringList{QStringLiteral("preset 'odd': max_train_steps must be a whole number")};
        QTest::newRow("text for a number")
            << QByteArray(R"({"presets": [{"name": "lr", "settings": {"learning_rate": "1e-4"}}]})")
            << QStringList{QStringLiteral("preset 'lr': learning_rate must be a number")};
        QTest::newRow("number for a flag")
            << QByteArray(R"({"presets": [{"name": "gc", "settings": {"gradient_checkpointing": 1}}]})")
            << QStringList{QStringLiteral("preset 'gc': gradient_checkpointing must be true or false")};
    }

    void brokenPresetFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, expected);
        const auto presets = TrainingPresets::parse(json, QStringLiteral("presets.json"));
        QVERIFY(!presets.ok());
        QVERIFY2(presets.error().message.startsWith(QStringLiteral("presets.json: ")),
                 qPrintable(presets.error().message));
        for (const QString &part : expected)
            QVERIFY2(presets.error().message.contains(part), qPrintable(presets.error().message));
    }

    void iconAtEverySize()
    {
        for (int size : WorkbenchIcon::sizes()) {
            const QString path = QStringLiteral(":/rdt/icons/rdt-workbench-%1.png").arg(size);
            QImage image(path);
            QVERIFY2(!image.isNull(), qPrintable(path));
            QCOMPARE(image.size(), QSize(size, size));
            // Drawn, not blank: the corner is transparent, the middle is not.
            QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
            QVERIFY(qAlpha(image.pixel(size / 2, size / 2)) > 200);
        }
        QVERIFY(QFile::exists(QStringLiteral(":/rdt/icons/rdt-workbench.svg")));
        const QIcon icon = WorkbenchIcon::icon();
        QCOMPARE(icon.availableSizes().size(), WorkbenchIcon::sizes().size());
    }

    void windowUsesTheIcon()
    {
        MainWindow window;
        QVERIFY(!window.windowIcon().isNull());
        QCOMPARE(window.windowIcon().availableSizes(), WorkbenchIcon::icon().availableSizes());
        // Opaque pixels compare equal whatever the premultiplication of the two images.
        const QImage shown = window.windowIcon().pixmap(48, 48).toImage().convertToFormat(QImage::Format_ARGB32);
        const QImage drawn = QImage(QStringLiteral(":/rdt/icons/rdt-workbench-48.png")).convertToFormat(QImage::Format_ARGB32);
        QCOMPARE(shown.size(), QSize(48, 48));
        for (const QPoint &at : {QPoint(24, 24), QPoint(10, 38), QPoint(38, 10)})
            QCOMPARE(shown.pixel(at), drawn.pixel(at));
    }
};

QTEST_MAIN(ResourcesTest)
#include "gui_resources.moc"
