// What a new user tripped on in the sandbox tour, as the wizard shows it now: the training
// page's model size comes from the chosen model's config.json (and model.safetensors'
// header), not RDT-1B, with the picker as an override and a broken config.json said in its
// tooltip; the sandbox preset is preselected in the sandbox; the 8-GPU preset is a real
// data-parallel one; the data page has a Recompute statistics button beside its verdict.
#include "DataModelPage.h"
#include "ModelSizeFromConfig.h"
#include "StatisticsRecompute.h"
#include "TrainingConfigPage.h"
#include "TrainingEstimates.h"
#include "TrainingPresets.h"
#include "WizardSession.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using namespace rdt;

namespace {

// The sandbox's tiny model, as rdt-trainer writes its config.json.
const QByteArray kTinyConfig = R"({"action_dim": 128, "pred_horizon": 64, "lang_token_dim": 32, "img_token_dim": 48,
  "state_token_dim": 128, "max_lang_cond_len": 16, "img_cond_len": 24,
  "config": {"rdt": {"hidden_size": 64, "depth": 2, "num_heads": 4}}})";

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// A safetensors file with these tensor shapes (zeros), as the format lays it out.
QByteArray safetensors(const QList<QList<int>> &shapes)
{
    QJsonObject header;
    qint64 offset = 0;
    for (int i = 0; i < shapes.size(); ++i) {
        qint64 count = 1;
        QJsonArray shape;
        for (int d : shapes[i]) {
            count *= d;
            shape.append(d);
        }
        header.insert(QStringLiteral("t%1").arg(i), QJsonObject{{"dtype", "F32"}, {"shape", shape},
                                                               {"data_offsets", QJsonArray{offset, offset + 4 * count}}});
        offset += 4 * count;
    }
    header.insert(QStringLiteral("__metadata__"), QJsonObject{{"format", "pt"}});
    const QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    QByteArray length(8, '\0');
    qToLittleEndian<quint64>(quint64(json.size()), length.data());
    return length + json + QByteArray(offset, '\0');
}

bool saveScreenshot(QWidget *widget, const QString &name)
{
    QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
    const QString shot = QStringLiteral(RDT_SCREENSHOT_DIR "/") + name;
    qInfo("screenshot: %s", qPrintable(shot));
    return widget->grab().save(shot);
}

} // namespace

class NewUserTripsTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_model;

private slots:
    void initTestCase()
    {
        m_model = m_dir.filePath(QStringLiteral("rdt-tiny"));
        QVERIFY(QDir().mkpath(m_model));
        QVERIFY(writeFile(m_model + QStringLiteral("/config.json"), kTinyConfig));
        QVERIFY(writeFile(m_model + QStringLiteral("/model.safetensors"), safetensors({{64, 64}, {64}, {3, 64, 64}})));
    }

    void modelSizeComesFromTheChosenModel()
    {
        WizardSession session;
        session.profile.remoteRoot = QStringLiteral("/srv/rdt");
        session.profile.localModelPath = m_model;
        TrainingConfigPage page(&session);
        page.initializePage();
        QVERIFY(page.modelFromConfig().has_value());
        const ModelSize &model = *page.modelFromConfig();
        QCOMPARE(model.parameters, qint64(64 * 64 + 64 + 3 * 64 * 64));   // counted from the header
        QCOMPARE(model.hiddenSize, 64);
        QCOMPARE(model.depth, 2);
        QCOMPARE(model.conditionTokens, 24 + 16);
        QCOMPARE(model.visionParameters, qint64(0));   // 48-wide image tokens: not SigLIP
        QCOMPARE(page.modelSizeBox()->currentText(), model.name);
        QVERIFY2(model.name.startsWith(QStringLiteral("rdt-tiny (config.json: hidden 64, depth 2)")), qPrintable(model.name));
        QCOMPARE(page.settings().modelSize, model.name);

        // The first estimates are for this model: kilobytes of checkpoint, not RDT-1B's 36 GiB.
        const TrainingEstimates tiny = TrainingEstimates::make(page.settings(), model, 0);
        QVERIFY2(tiny.checkpointBytes < 1024 * 1024, qPrintable(QString::number(tiny.checkpointBytes)));
        QVERIFY2(!page.estimatesText().contains(QStringLiteral("GiB")), qPrintable(page.estimatesText()));

        // A preset's model size does not replace it; the picker does.
        page.applyPreset(QStringLiteral("1 GPU, single task"));
        QCOMPARE(page.settings().modelSize, model.name);
        page.modelSizeBox()->setCurrentText(QStringLiteral("RDT-1B"));
        QCOMPARE(page.settings().modelSize, QStringLiteral("RDT-1B"));
        QVERIFY2(page.estimatesText().contains(QStringLiteral("GiB")), qPrintable(page.estimatesText()));
        page.setMinimumWidth(900);
        page.modelSizeBox()->setCurrentText(model.name);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(saveScreenshot(&page, QStringLiteral("training-page-model-from-config.png")));
    }

    void withoutSafetensorsTheWidthsGiveTheCount()
    {
        // RDT-1B's published config: 1.2 B parameters, SigLIP features.
        const QString folder = m_dir.filePath(QStringLiteral("rdt-1b"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(writeFile(folder + QStringLiteral("/config.json"),
                          R"({"action_dim": 128, "pred_horizon": 64, "lang_token_dim": 4096, "img_token_dim": 1152,
                              "state_token_dim": 128, "max_lang_cond_len": 1024, "img_cond_len": 4374,
                              "config": {"rdt": {"hidden_size": 2048, "depth": 28, "num_heads": 32}}})"));
        QString problem;
        const std::optional<ModelSize> model = ModelSizeFromConfig::read(folder + QStringLiteral("/pytorch_model.bin"), &problem);
        QVERIFY2(model.has_value(), qPrintable(problem));
        QVERIFY2(std::abs(double(model->parameters) / 1.23e9 - 1) < 0.05, qPrintable(QString::number(model->parameters)));
        QCOMPARE(model->conditionTokens, 4374 + 1024);
        QVERIFY(model->visionParameters > 0);
    }

    void brokenConfigIsSaidAndThePickerStays()
    {
        const QString folder = m_dir.filePath(QStringLiteral("broken"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(writeFile(folder + QStringLiteral("/config.json"), "{\"config\": {\"rdt\": {\"hidden_size\": 64"));
        WizardSession session;
        session.profile.remoteRoot = QStringLiteral("/srv/rdt");
        session.profile.localModelPath = folder;
        TrainingConfigPage page(&session);
        page.initializePage();
        QVERIFY(!page.modelFromConfig().has_value());
        QVERIFY2(page.modelSizeBox()->toolTip().contains(folder + QStringLiteral("/config.json: not JSON")),
                 qPrintable(page.modelSizeBox()->toolTip()));
        QCOMPARE(page.modelSizeBox()->count(), ModelSize::known().size());
    }

    void sandboxPresetIsPreselected()
    {
        WizardSession session;
        session.profile.remoteRoot = QStringLiteral("/srv/rdt");
        session.profile.localModelPath = m_model;
        session.cpuOnlyServer = true;   // the sandbox
        TrainingConfigPage page(&session);
        page.initializePage();
        QCOMPARE(page.presetBox()->currentText(), QStringLiteral("CPU smoke test (sandbox)"));
        QCOMPARE(page.settings().device, QStringLiteral("cpu"));
        QCOMPARE(page.settings().lang, QStringLiteral("learned"));
        QCOMPARE(page.settings().modelSize, page.modelFromConfig()->name);
        // Elsewhere nothing is preselected.
        WizardSession gpuSession;
        gpuSession.profile.remoteRoot = QStringLiteral("/srv/rdt");
        TrainingConfigPage gpuPage(&gpuSession);
        gpuPage.initializePage();
        QCOMPARE(gpuPage.presetBox()->currentIndex(), 0);
    }

    void eightGpuPresetLaunchesEightProcesses()
    {
        bool found = false;
        for (const TrainingPreset &preset : TrainingPresets::shipped())
            if (preset.name == QLatin1String("8 GPUs, single task")) {
                found = true;
                const TrainingSettings s = preset.apply(TrainingSettings());
                QCOMPARE(s.processes, 8);   // RunStarter turns this into --nproc_per_node 8
            }
        QVERIFY(found);
    }

    void dataPageOffersRecomputeStatistics()
    {
        WizardSession session;
        session.profile.remoteRoot = QStringLiteral("/srv/rdt");
        DataModelPage page(&session, nullptr);
        page.resize(900, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        StatisticsRecompute *recompute = page.statisticsRecompute();
        QVERIFY(!recompute->isVisible());
        recompute->setVerdict(QStringLiteral("Recompute the statistics: the dataset's MD5 is 1f2e…, the statistics are for 9a8b…"));
        QVERIFY(recompute->isVisible());
        QCOMPARE(recompute->button()->text(), QStringLiteral("Recompute statistics"));
        recompute->button()->click();   // no connection in this test: it says so, and runs nothing
        QVERIFY(!recompute->isRunning());
        QVERIFY2(recompute->statusText().startsWith(QStringLiteral("Not connected to the server")), qPrintable(recompute->statusText()));
        QVERIFY(saveScreenshot(&page, QStringLiteral("data-page-recompute-statistics.png")));
        recompute->setVerdict(QStringLiteral("The statistics on the server belong to this dataset."));
        QVERIFY(!recompute->isVisible());
    }
};

QTEST_MAIN(NewUserTripsTest)
#include "gui_new_user_trips.moc"
