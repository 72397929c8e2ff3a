// The launch page's GPU choice: every GPU of the server check ticked by default, one process
// per picked GPU, CUDA_VISIBLE_DEVICES from the picks, the per-GPU memory estimate and the
// effective batch following them; a CPU run has no GPU boxes. A screenshot of the page.
#include "wizard/GpuPicker.h"
#include "wizard/LaunchPage.h"
#include "wizard/TrainingConfigPage.h"
#include "wizard/WizardSession.h"

#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QSpinBox>
#include <QTest>

using namespace rdt;

namespace {

QByteArray environmentValue(const TrainingSettings &s, const QByteArray &name)
{
    for (const auto &[variable, value] : s.environment)
        if (variable == name)
            return value;
    return {};
}

QString perGpuText(LaunchPage &page)
{
    QStringList texts;
    for (const QLabel *label : page.findChildren<QLabel *>())
        texts << label->text();
    return texts.join(QLatin1Char('\n'));
}

} // namespace

class LaunchGpusTest : public QObject {
    Q_OBJECT
private slots:
    void gpusFromTheServerCheckAllByDefault()
    {
        WizardSession session;
        session.profile.host = QStringLiteral("gpu01");
        session.profile.remoteRoot = QStringLiteral("/data/rdt");
        CheckItem gpus{CheckId::Gpus, QStringLiteral("GPUs"), CheckStatus::Ok, QStringLiteral("4 GPUs"), {}, {}};
        for (int i = 0; i < 4; ++i) {
            GpuInfo gpu;
            gpu.index = i;
            gpu.name = QStringLiteral("NVIDIA H100 80GB HBM3");
            gpu.memoryTotalMiB = 81559;
            gpu.memoryUsedMiB = i == 3 ? 40000 : 1;
            gpu.utilizationPercent = i == 3 ? 90 : 0;
            gpus.gpus << gpu;
        }
        session.checkItems = {gpus};
        TrainingConfigPage configuration(&session);
        TrainingSettings s;
        s.runName = QStringLiteral("libero-8gpu");
        s.config = QStringLiteral("/data/rdt/checkpoints/rdt-1b/config.json");
        s.dataset = QStringLiteral("/data/rdt/datasets/libero_10");
        s.visionEncoder = QStringLiteral("/data/rdt/models/siglip-so400m-patch14-384");
        s.langEmbeddings = QStringLiteral("/data/rdt/lang_embeddings");
        s.device = QStringLiteral("cuda");
        s.mixedPrecision = QStringLiteral("bf16");
        s.gradientCheckpointing = true;
        s.trainBatchSize = 32;
        s.modelSize = QStringLiteral("RDT-1B");
        s.environment = {{QByteArrayLiteral("CUDA_VISIBLE_DEVICES"), QByteArrayLiteral("0")}};
        configuration.setSettings(s);
        LaunchPage page(&session, &configuration);
        page.resize(900, 640);
        page.initializePage();

        GpuPicker *picker = page.gpuPicker();
        QCOMPARE(picker->pickedGpus(), (QList<int>{0, 1, 2, 3}));
        QCOMPARE(picker->processes(), 4);
        QVERIFY(picker->checkBoxOf(3)->text().contains(QLatin1String("busy")));
        TrainingSettings launched = page.settings();
        QCOMPARE(launched.processes, 4);
        QCOMPARE(environmentValue(launched, "CUDA_VISIBLE_DEVICES"), QByteArray("0,1,2,3"));
        QVERIFY2(perGpuText(page).contains(QLatin1String("per GPU")), qPrintable(perGpuText(page)));
        QVERIFY2(perGpuText(page).contains(QLatin1String("effective batch <b>128</b>")), qPrintable(perGpuText(page)));

        // The busy GPU left out: three processes on the other three.
        picker->checkBoxOf(3)->setChecked(false);
        QCOMPARE(picker->processes(), 3);
        launched = page.settings();
        QCOMPARE(launched.processes, 3);
        QCOMPARE(environmentValue(launched, "CUDA_VISIBLE_DEVICES"), QByteArray("0,1,2"));
        QVERIFY2(perGpuText(page).contains(QLatin1String("effective batch <b>96</b>")), qPrintable(perGpuText(page)));
        // Fewer processes than picked GPUs use the first ones; never more than picked.
        picker->processesBox()->setValue(2);
        QCOMPARE(environmentValue(page.settings(), "CUDA_VISIBLE_DEVICES"), QByteArray("0,1"));
        picker->processesBox()->setValue(7);
        QCOMPARE(picker->processes(), 3);

        picker->checkBoxOf(3)->setChecked(true);
        QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
        const QString shot = QStringLiteral(RDT_SCREENSHOT_DIR "/launch-page-gpus.png");
        QVERIFY(page.grab().save(shot));
    }

    void aCpuRunHasNoGpuBoxes()
    {
        WizardSession session;
        session.profile.remoteRoot = QStringLiteral("/srv/rdt");
        TrainingConfigPage configuration(&session);
        TrainingSettings s;
        s.runName = QStringLiteral("cpu-two");
        s.config = QStringLiteral("/srv/rdt/tiny.yaml");
        s.dataset = QStringLiteral("/srv/rdt/data.hdf5");
        s.visionEncoder = QStringLiteral("patch");
        s.lang = QStringLiteral("learned");
        s.device = QStringLiteral("cpu");
        s.processes = 2;
        s.modelSize = QStringLiteral("tiny (sandbox)");
        configuration.setSettings(s);
        LaunchPage page(&session, &configuration);
        page.initializePage();
        QVERIFY(page.gpuPicker()->pickedGpus().isEmpty());
        QCOMPARE(page.gpuPicker()->processes(), 2);
        const TrainingSettings launched = page.settings();
        QCOMPARE(launched.processes, 2);
        QVERIFY(environmentValue(launched, "CUDA_VISIBLE_DEVICES").isEmpty());
        QVERIFY2(perGpuText(page).contains(QLatin1String("per process")), qPrintable(perGpuText(page)));
        QVERIFY(launched.problems().isEmpty());
    }
};

QTEST_MAIN(LaunchGpusTest)
#include "gui_launch_gpus.moc"
