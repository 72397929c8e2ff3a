// The training configuration page. The form is the settings' only copy: settings() reads
// it, setSettings() fills it, and every edit refreshes the estimates.
#include "TrainingConfigPage.h"

#include "EnvironmentModel.h"
#include "TrainingEstimates.h"
#include "ModelSizeFromConfig.h"
#include "TrainingPresets.h"
#include "WizardSession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <limits>

namespace rdt {

namespace {

QString durationText(double seconds)
{
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 86400)
        return QStringLiteral("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
    if (s >= 3600)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
}

ModelSize modelNamed(const QString &name)
{
    for (const ModelSize &size : ModelSize::known())
        if (size.name == name)
            return size;
    return ModelSize::known().front();
}

QString joinPath(const QString &folder, const QString &name)
{
    return folder.endsWith(QLatin1Char('/')) ? folder + name : folder + QLatin1Char('/') + name;
}

} // namespace

QSpinBox *TrainingConfigPage::spin(qint64 minimum, qint64 maximum)
{
    auto *box = new QSpinBox;
    box->setRange(int(minimum), int(std::min<qint64>(maximum, std::numeric_limits<int>::max())));
    connect(box, &QSpinBox::valueChanged, this, &TrainingConfigPage::updateEstimates);
    return box;
}

TrainingConfigPage::TrainingConfigPage(WizardSession *session, QWidget *parent)
    : QWizardPage(parent), m_session(session), m_environment(new EnvironmentModel(this)), m_preset(new QComboBox),
      m_runName(new QLineEdit), m_modelSize(new QComboBox), m_config(new QLineEdit), m_dataset(new QLineEdit),
      m_pretrained(new QLineEdit), m_resume(new QLineEdit), m_visionEncoder(new QLineEdit), m_langEmbeddings(new QLineEdit),
      m_langLearned(new QCheckBox(tr("--lang learned (a stand-in, not RDT-conditioned)"))), m_processes(spin(1, 64)), m_batch(spin(1, 4096)),
      m_accumulation(spin(1, 1024)), m_learningRate(new QDoubleSpinBox), m_steps(spin(1, 100'000'000)),
      m_checkpointPeriod(spin(1, 100'000'000)), m_checkpointLimit(spin(0, 10000)),
      m_gradientCheckpointing(new QCheckBox(tr("Gradient checkpointing"))), m_precision(new QComboBox),
      m_scheduler(new QComboBox), m_warmup(spin(0, 100'000'000)), m_maxGradNorm(new QDoubleSpinBox),
      m_samplePeriod(spin(0, 100'000'000)), m_workers(spin(0, 256)), m_seed(spin(0, std::numeric_limits<int>::max())),
      m_device(new QComboBox), m_stepRate(new QDoubleSpinBox), m_estimates(new QLabel)
{
    setTitle(tr("Training configuration"));
    setSubTitle(tr("rdt-trainer's flags (RDT's own names and defaults). The estimates below follow every change."));

    m_preset->addItem(tr("(choose a preset)"));
    for (const TrainingPreset &preset : TrainingPresets::shipped())
        m_preset->addItem(preset.name);
    for (const ModelSize &size : ModelSize::known())
        m_modelSize->addItem(size.name);
    m_precision->addItems({QStringLiteral("no"), QStringLiteral("bf16")});
    m_scheduler->addItems({QStringLiteral("constant"), QStringLiteral("cosine"), QStringLiteral("linear")});
    m_device->addItems({QStringLiteral("cuda"), QStringLiteral("cpu")});
    m_learningRate->setDecimals(7);
    m_learningRate->setRange(1e-7, 1.0);
    m_learningRate->setSingleStep(1e-5);
    m_maxGradNorm->setRange(0.0, 1000.0);
    m_stepRate->setRange(0.0, 1000.0);
    m_stepRate->setDecimals(3);
    m_stepRate->setSpecialValueText(tr("not known yet"));
    m_stepRate->setSuffix(tr(" steps/s"));
    m_checkpointLimit->setSpecialValueText(tr("keep all"));
    m_samplePeriod->setSpecialValueText(tr("never"));
    m_resume->setPlaceholderText(tr("empty: a new run; \"latest\" or a checkpoint folder to resume"));
    m_pretrained->setPlaceholderText(tr("empty: train from scratch"));
    m_visionEncoder->setPlaceholderText(tr("the SigLIP folder the server check found; \"patch\": the stand-in"));
    m_langEmbeddings->setPlaceholderText(tr("encode_lang.py's .pt files the server check found"));

    auto *paths = new QFormLayout;
    paths->addRow(tr("Preset:"), m_preset);
    paths->addRow(tr("Run name:"), m_runName);
    paths->addRow(tr("Model size (for the estimates):"), m_modelSize);
    paths->addRow(tr("--config:"), m_config);
    paths->addRow(tr("--dataset:"), m_dataset);
    paths->addRow(tr("--pretrained_model_name_or_path:"), m_pretrained);
    paths->addRow(tr("--resume_from_checkpoint:"), m_resume);
    auto *language = new QHBoxLayout;
    language->addWidget(m_langEmbeddings, 1);
    language->addWidget(m_langLearned);
    paths->addRow(tr("--vision_encoder:"), m_visionEncoder);
    paths->addRow(tr("--lang_embeddings:"), language);

    auto *left = new QFormLayout;
    left->addRow(tr("Processes (GPUs):"), m_processes);
    left->addRow(tr("--train_batch_size:"), m_batch);
    left->addRow(tr("--gradient_accumulation_steps:"), m_accumulation);
    left->addRow(tr("--learning_rate:"), m_learningRate);
    left->addRow(tr("--lr_scheduler:"), m_scheduler);
    left->addRow(tr("--lr_warmup_steps:"), m_warmup);
    left->addRow(tr("--max_grad_norm:"), m_maxGradNorm);
    auto *right = new QFormLayout;
    right->addRow(tr("--max_train_steps:"), m_steps);
    right->addRow(tr("--checkpointing_period:"), m_checkpointPeriod);
    right->addRow(tr("--checkpoints_total_limit:"), m_checkpointLimit);
    right->addRow(tr("--mixed_precision:"), m_precision);
    right->addRow(QString(), m_gradientCheckpointing);
    right->addRow(tr("--device:"), m_device);
    right->addRow(tr("--sample_period:"), m_samplePeriod);
    right->addRow(tr("--dataloader_num_workers:"), m_workers);
    right->addRow(tr("--seed:"), m_seed);
    right->addRow(tr("Step rate:"), m_stepRate);
    auto *flags = new QHBoxLayout;
    flags->addLayout(left);
    flags->addSpacing(24);
    flags->addLayout(right);

    auto *environmentView = new QTableView;
    environmentView->setModel(m_environment);
    environmentView->verticalHeader()->hide();
    environmentView->horizontalHeader()->setStretchLastSection(true);
    environmentView->setColumnWidth(EnvironmentModel::NameColumn, 200);
    environmentView->setMinimumHeight(110);
    auto *addVariable = new QPushButton(tr("Add"));
    auto *removeVariable = new QPushButton(tr("Remove"));
    connect(addVariable, &QPushButton::clicked, m_environment, &EnvironmentModel::addRow);
    connect(removeVariable, &QPushButton::clicked, this,
            [this, environmentView] { m_environment->removeRowAt(environmentView->currentIndex().row()); });
    auto *environmentButtons = new QVBoxLayout;
    environmentButtons->addWidget(addVariable);
    environmentButtons->addWidget(removeVariable);
    environmentButtons->addStretch();
    auto *environmentBox = new QGroupBox(tr("Environment of the run"));
    auto *environmentLayout = new QHBoxLayout(environmentBox);
    environmentLayout->addWidget(environmentView, 1);
    environmentLayout->addLayout(environmentButtons);

    m_estimates->setWordWrap(true);
    m_estimates->setTextFormat(Qt::RichText);
    m_estimates->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    auto *estimatesBox = new QGroupBox(tr("Estimates"));
    auto *estimatesLayout = new QVBoxLayout(estimatesBox);
    estimatesLayout->addWidget(m_estimates);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(environmentBox, 1);
    bottom->addWidget(estimatesBox, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(paths);
    layout->addLayout(flags);
    layout->addLayout(bottom, 1);

    connect(m_preset, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            applyPreset(m_preset->itemText(index));
    });
    for (QComboBox *box : {m_modelSize, m_precision, m_scheduler, m_device})
        connect(box, &QComboBox::currentIndexChanged, this, &TrainingConfigPage::updateEstimates);
    connect(m_langLearned, &QCheckBox::toggled, m_langEmbeddings, &QLineEdit::setDisabled);
    connect(m_langLearned, &QCheckBox::toggled, this, &TrainingConfigPage::updateEstimates);
    for (QLineEdit *edit : {m_runName, m_config, m_dataset, m_pretrained, m_resume, m_visionEncoder, m_langEmbeddings})
        connect(edit, &QLineEdit::textChanged, this, &TrainingConfigPage::updateEstimates);
    for (QDoubleSpinBox *box : {m_learningRate, m_maxGradNorm, m_stepRate})
        connect(box, &QDoubleSpinBox::valueChanged, this, &TrainingConfigPage::updateEstimates);
    connect(m_gradientCheckpointing, &QCheckBox::toggled, this, &TrainingConfigPage::updateEstimates);
    connect(m_environment, &QAbstractItemModel::dataChanged, this, &TrainingConfigPage::updateEstimates);
    connect(m_environment, &QAbstractItemModel::rowsRemoved, this, &TrainingConfigPage::updateEstimates);

    setSettings(TrainingSettings());
}

void TrainingConfigPage::initializePage()
{
    // Paths follow the data page; the flags keep what the user set.
    TrainingSettings s = settings();
    const LocalCopies copies = m_session->copies();
    if (s.runName.isEmpty())
        s.runName = QStringLiteral("rdt-") + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"));
    s.dataset = copies.localDataset.isEmpty() ? s.dataset : copies.remoteDataset;
    if (!copies.localModel.isEmpty()) {
        s.pretrained = copies.remoteModel;
        s.config = joinPath(copies.remoteModel, QStringLiteral("config.json"));
    } else if (s.config.isEmpty()) {
        s.config = joinPath(m_session->profile.remoteRoot, QStringLiteral("configs/base.yaml"));
    }
    if (s.visionEncoder.isEmpty())
        s.visionEncoder = m_session->visionEncoder;
    if (s.langEmbeddings.isEmpty())
        s.langEmbeddings = m_session->langEmbeddings;
    const bool hasGpus = !m_session->gpus().isEmpty();
    if (!hasGpus && s.device == QLatin1String("cuda"))
        s.device = QStringLiteral("cpu");
    const QByteArray root = m_session->profile.remoteRoot.toUtf8();
    if (s.environment.isEmpty()) {
        if (hasGpus)
            s.environment.append(QPair<QByteArray, QByteArray>("CUDA_VISIBLE_DEVICES", "0"));
        s.environment.append(QPair<QByteArray, QByteArray>("RDT_DATASET_DIR", root + "/datasets"));
        s.environment.append(QPair<QByteArray, QByteArray>("HF_HOME", root + "/hf-cache"));
        s.environment.append(QPair<QByteArray, QByteArray>("HF_HUB_OFFLINE", "1"));
        s.environment.append(QPair<QByteArray, QByteArray>("TRANSFORMERS_OFFLINE", "1"));
    }
    readModelSize(copies.localModel);
    if (m_modelFromConfig)
        s.modelSize = m_modelFromConfig->name;   // the chosen model's size; the picker overrides it
    setSettings(s);
    // The sandbox runs on the CPU with its tiny model: its preset is the one that works.
    if (m_session->cpuOnlyServer && m_preset->currentIndex() == 0)
        applyPreset(QStringLiteral("CPU smoke test (sandbox)"));
}

void TrainingConfigPage::readModelSize(const QString &localModel)
{
    if (m_modelFromConfig)
        m_modelSize->removeItem(m_modelSize->findText(m_modelFromConfig->name));
    m_modelFromConfig.reset();
    m_modelSize->setToolTip(QString());
    if (localModel.isEmpty())
        return;
    QString problem;
    m_modelFromConfig = ModelSizeFromConfig::read(localModel, &problem);
    if (!m_modelFromConfig) {
        m_modelSize->setToolTip(tr("The chosen model's size could not be read (%1): pick the nearest one.").arg(problem));
        return;
    }
    m_modelSize->insertItem(0, m_modelFromConfig->name);
    m_modelSize->setToolTip(tr("Read from the chosen model's config.json; pick another to override it."));
}

ModelSize TrainingConfigPage::modelSize(const QString &name) const
{
    if (m_modelFromConfig && m_modelFromConfig->name == name)
        return *m_modelFromConfig;
    return modelNamed(name);
}

TrainingSettings TrainingConfigPage::settings() const
{
    TrainingSettings s;
    s.runName = m_runName->text().trimmed();
    s.config = m_config->text().trimmed();
    s.dataset = m_dataset->text().trimmed();
    s.pretrained = m_pretrained->text().trimmed();
    s.resumeFrom = m_resume->text().trimmed();
    s.visionEncoder = m_visionEncoder->text().trimmed();
    s.langEmbeddings = m_langEmbeddings->text().trimmed();
    s.lang = m_langLearned->isChecked() ? QStringLiteral("learned") : QString();
    s.processes = m_processes->value();
    s.trainBatchSize = m_batch->value();
    s.gradientAccumulationSteps = m_accumulation->value();
    s.learningRate = m_learningRate->value();
    s.maxTrainSteps = m_steps->value();
    s.checkpointingPeriod = m_checkpointPeriod->value();
    s.checkpointsTotalLimit = m_checkpointLimit->value();
    s.gradientCheckpointing = m_gradientCheckpointing->isChecked();
    s.mixedPrecision = m_precision->currentText();
    s.lrScheduler = m_scheduler->currentText();
    s.lrWarmupSteps = m_warmup->value();
    s.maxGradNorm = m_maxGradNorm->value();
    s.samplePeriod = m_samplePeriod->value();
    s.dataloaderNumWorkers = m_workers->value();
    s.seed = m_seed->value();
    s.device = m_device->currentText();
    s.modelSize = m_modelSize->currentText();
    s.environment = m_environment->variables();
    return s;
}

void TrainingConfigPage::setSettings(const TrainingSettings &s)
{
    m_filling = true;
    m_runName->setText(s.runName);
    m_config->setText(s.config);
    m_dataset->setText(s.dataset);
    m_pretrained->setText(s.pretrained);
    m_resume->setText(s.resumeFrom);
    m_visionEncoder->setText(s.visionEncoder);
    m_langEmbeddings->setText(s.langEmbeddings);
    m_langLearned->setChecked(s.lang == QLatin1String("learned"));
    m_processes->setValue(s.processes);
    m_batch->setValue(int(s.trainBatchSize));
    m_accumulation->setValue(int(s.gradientAccumulationSteps));
    m_learningRate->setValue(s.learningRate);
    m_steps->setValue(int(s.maxTrainSteps));
    m_checkpointPeriod->setValue(int(s.checkpointingPeriod));
    m_checkpointLimit->setValue(int(s.checkpointsTotalLimit));
    m_gradientCheckpointing->setChecked(s.gradientCheckpointing);
    m_precision->setCurrentText(s.mixedPrecision);
    m_scheduler->setCurrentText(s.lrScheduler);
    m_warmup->setValue(int(s.lrWarmupSteps));
    m_maxGradNorm->setValue(s.maxGradNorm);
    m_samplePeriod->setValue(int(s.samplePeriod));
    m_workers->setValue(int(s.dataloaderNumWorkers));
    m_seed->setValue(int(s.seed));
    m_device->setCurrentText(s.device);
    m_modelSize->setCurrentText(s.modelSize);
    m_environment->setVariables(s.environment);
    m_filling = false;
    updateEstimates();
}

void TrainingConfigPage::applyPreset(const QString &name)
{
    for (const TrainingPreset &preset : TrainingPresets::shipped())
        if (preset.name == name) {
            TrainingSettings s = preset.apply(settings());
            // A preset's model size is a guess; the chosen model's own config.json is not.
            if (m_modelFromConfig)
                s.modelSize = m_modelFromConfig->name;
            // CUDA_VISIBLE_DEVICES follows the process count on a GPU run.
            if (s.device == QLatin1String("cuda")) {
                QStringList devices;
                for (int i = 0; i < s.processes; ++i)
                    devices << QString::number(i);
                bool found = false;
                for (auto &[variable, value] : s.environment)
                    if (variable == "CUDA_VISIBLE_DEVICES") {
                        value = devices.join(QLatin1Char(',')).toUtf8();
                        found = true;
                    }
                if (!found)
                    s.environment.prepend(QPair<QByteArray, QByteArray>("CUDA_VISIBLE_DEVICES", devices.join(QLatin1Char(',')).toUtf8()));
            }
            setSettings(s);
            m_preset->setCurrentText(name);
            return;
        }
}

void TrainingConfigPage::setStepRate(double stepsPerSecond)
{
    m_stepRate->setValue(stepsPerSecond);
}

QString TrainingConfigPage::estimatesText() const
{
    return m_estimates->text();
}

void TrainingConfigPage::updateEstimates()
{
    if (m_filling)
        return;
    const TrainingSettings s = settings();
    const TrainingEstimates e = TrainingEstimates::make(s, modelSize(s.modelSize), m_stepRate->value());
    const QLocale locale;
    QStringList lines;
    const auto warn = [](const QString &text) { return QStringLiteral("<span style='color:#a40000'>⚠ %1</span>").arg(text); };

    lines << tr("Effective batch size: <b>%1</b> (%2 per process × %3 process(es) × %4 accumulation step(s))")
                 .arg(e.effectiveBatchSize).arg(s.trainBatchSize).arg(s.processes).arg(s.gradientAccumulationSteps);

    const qint64 diskNeeded = e.checkpointCount * e.checkpointBytes;
    QString disk = tr("Checkpoints: %1 × %2 = <b>%3</b>")
                       .arg(e.checkpointCount)
                       .arg(locale.formattedDataSize(e.checkpointBytes), locale.formattedDataSize(diskNeeded));
    if (m_session->freeDiskBytes >= 0) {
        disk += tr(" of %1 free on the server").arg(locale.formattedDataSize(m_session->freeDiskBytes));
        if (diskNeeded > m_session->freeDiskBytes)
            disk = warn(disk + tr(": not enough; set --checkpoints_total_limit or a longer period"));
    }
    lines << disk;

    QString memory = tr("GPU memory: about <b>%1</b> per GPU").arg(locale.formattedDataSize(e.gpuMemoryBytes));
    qint64 smallestGpu = 0;
    for (const GpuInfo &gpu : m_session->gpus())
        if (gpu.memoryTotalMiB && (smallestGpu == 0 || *gpu.memoryTotalMiB * 1048576 < smallestGpu))
            smallestGpu = *gpu.memoryTotalMiB * 1048576;
    if (s.device == QLatin1String("cpu")) {
        memory = tr("Host memory: about <b>%1</b> (a CPU run)").arg(locale.formattedDataSize(e.hostMemoryBytes));
    } else if (smallestGpu > 0) {
        memory += tr(" of %1").arg(locale.formattedDataSize(smallestGpu));
        if (e.gpuMemoryBytes > smallestGpu)
            memory = warn(memory + tr(": likely out of memory. Try, in order: %1")
                                       .arg(TrainingEstimates::memoryRemedies(s).join(QStringLiteral("; "))));
    } else {
        memory += tr(" (the server check found no GPU to compare with)");
    }
    if (e.visionGpuBytes > 0)
        memory += tr(", of which the frozen SigLIP tower %1 (%2 TFLOP per step)")
                      .arg(locale.formattedDataSize(s.device == QLatin1String("cpu") ? e.visionHostBytes : e.visionGpuBytes))
                      .arg(e.visionTeraFlopsPerStep, 0, 'f', 1);
    lines << memory;

    lines << (e.secondsTotal >= 0 ? tr("Expected duration: <b>%1</b> for %2 steps").arg(durationText(e.secondsTotal)).arg(s.maxTrainSteps)
                                  : tr("Expected duration: shown once a step rate is known (enter one from an earlier run)"));
    for (const QString &problem : s.problems())
        lines << warn(problem);
    m_estimates->setText(lines.join(QStringLiteral("<br>")));
    Q_EMIT completeChanged();
}

bool TrainingConfigPage::isComplete() const
{
    return settings().problems().isEmpty();
}

} // namespace rdt
