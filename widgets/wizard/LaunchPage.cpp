// The launch page.
#include "LaunchPage.h"

#include "GpuPicker.h"
#include "SshClient.h"
#include "TakenRunNote.h"
#include "TrainingEstimates.h"
#include "TrainingConfigPage.h"
#include "WizardSession.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTime>
#include <QVBoxLayout>

namespace rdt {

LaunchPage::LaunchPage(WizardSession *session, TrainingConfigPage *configuration, QWidget *parent)
    : QWizardPage(parent), m_session(session), m_configuration(configuration), m_summary(new QLabel), m_taken(new TakenRunNote),
      m_gpus(new GpuPicker), m_perGpu(new QLabel),
      m_launch(new QPushButton(tr("Launch"))), m_cancel(new QPushButton(tr("Cancel"))), m_busy(new QProgressBar),
      m_log(new QPlainTextEdit), m_failure(new QPlainTextEdit)
{
    setTitle(tr("Launch"));
    setSubTitle(tr("Starts the run on the server detached from this connection (in tmux when the server has it), "
                   "and hands over to the run's dashboard once the trainer has started."));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(160);
    m_busy->hide();
    m_cancel->setEnabled(false);
    m_log->setReadOnly(true);
    m_failure->setReadOnly(true);
    m_failure->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_failure->setStyleSheet(QStringLiteral("QPlainTextEdit { color: #a40000; background: #fde8e8; }"));
    m_failure->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_launch);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_busy);
    buttons->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_taken);
    layout->addWidget(m_gpus);
    layout->addWidget(m_perGpu);
    layout->addLayout(buttons);
    layout->addWidget(m_log, 1);
    layout->addWidget(m_failure, 1);

    m_perGpu->setWordWrap(true);
    m_perGpu->setTextFormat(Qt::RichText);
    connect(m_gpus, &GpuPicker::changed, this, &LaunchPage::updatePerGpu);
    connect(m_launch, &QPushButton::clicked, this, &LaunchPage::launch);
    connect(m_cancel, &QPushButton::clicked, this, &LaunchPage::cancel);
    connect(m_taken, &TakenRunNote::renameRequested, this, [this](const QString &freeName) {
        TrainingSettings settings = m_configuration->settings();
        settings.runName = freeName;
        m_configuration->setSettings(settings);
        initializePage();
    });
}

void LaunchPage::initializePage()
{
    const TrainingSettings settings = m_configuration->settings();
    m_gpus->setGpus(m_session->gpus(), settings.device == QLatin1String("cpu"), settings.processes);
    m_started = false;
    m_failure->hide();
    m_log->clear();
    // Each visit is a new launch: the last one's started state must not keep Launch off.
    m_taken->showFor(settings.runName, m_session->profile.host, m_session->existingRuns);
    setBusy(false);
    updatePerGpu();
}

TrainingSettings LaunchPage::settings() const
{
    TrainingSettings settings = m_configuration->settings();
    settings.processes = m_gpus->processes();
    const QByteArray devices = m_gpus->visibleDevices().toUtf8();
    if (settings.device != QLatin1String("cpu") && !devices.isEmpty()) {
        bool found = false;
        for (auto &[name, value] : settings.environment)
            if (name == "CUDA_VISIBLE_DEVICES") {
                value = devices;
                found = true;
            }
        if (!found)
            settings.environment.prepend({QByteArrayLiteral("CUDA_VISIBLE_DEVICES"), devices});
    }
    return settings;
}

// The memory a process needs on its GPU against the smallest picked GPU, and the batch the
// picked processes make together.
void LaunchPage::updatePerGpu()
{
    // The configuration page keeps the process count too (its estimates use it): the picks
    // here decide it.
    TrainingSettings configured = m_configuration->settings();
    if (configured.processes != m_gpus->processes()) {
        configured.processes = m_gpus->processes();
        m_configuration->setSettings(configured);
    }
    const TrainingSettings s = settings();
    const QString folder = m_session->profile.remoteRoot + QStringLiteral("/runs/") + s.runName;
    m_summary->setText(tr("<b>Run %1</b> on %2, in %3<br>%4<br><br>%5")
                           .arg(s.runName.toHtmlEscaped(), m_session->profile.host.toHtmlEscaped(), folder.toHtmlEscaped(),
                                s.summary().toHtmlEscaped(), m_configuration->estimatesText()));
    ModelSize model = ModelSize::known().front();
    for (const ModelSize &size : ModelSize::known())
        if (size.name == s.modelSize)
            model = size;
    const TrainingEstimates e = TrainingEstimates::make(s, model, 0);
    const QLocale locale;
    if (s.device == QLatin1String("cpu")) {
        m_perGpu->setText(tr("Host memory: about <b>%1</b> per process, %2 process(es); effective batch <b>%3</b>")
                              .arg(locale.formattedDataSize(e.hostMemoryBytes)).arg(s.processes).arg(e.effectiveBatchSize));
        return;
    }
    qint64 smallest = 0;
    for (const GpuInfo &gpu : m_session->gpus())
        if (m_gpus->pickedGpus().mid(0, s.processes).contains(gpu.index) && gpu.memoryTotalMiB
            && (smallest == 0 || *gpu.memoryTotalMiB * 1048576 < smallest))
            smallest = *gpu.memoryTotalMiB * 1048576;
    QString text = tr("GPU memory: about <b>%1</b> per GPU").arg(locale.formattedDataSize(e.gpuMemoryBytes));
    if (smallest > 0)
        text += tr(" of %1").arg(locale.formattedDataSize(smallest));
    if (smallest > 0 && e.gpuMemoryBytes > smallest)
        text = QStringLiteral("<span style='color:#a40000'>⚠ %1: likely out of memory</span>").arg(text);
    m_perGpu->setText(text + tr("; effective batch <b>%1</b> (%2 per GPU × %3 GPU(s) × %4 accumulation)")
                                 .arg(e.effectiveBatchSize).arg(s.trainBatchSize).arg(s.processes).arg(s.gradientAccumulationSteps));
}

void LaunchPage::cleanupPage()
{
    cancel();
}

void LaunchPage::launch()
{
    if ((m_starter && m_starter->isRunning()) || m_taken->isTaken())
        return;
    m_failure->clear();
    m_failure->hide();
    delete m_starter;
    m_starter = new RunStarter(m_session->client(), this);
    connect(m_starter, &RunStarter::stage, this, &LaunchPage::log);
    connect(m_starter, &RunStarter::started, this, [this] {
        setBusy(false);
        m_started = true;
        const LaunchedRun run = m_starter->run();
        log(tr("Training started: %1 (%2). Handing over to the run dashboard.").arg(run.name, run.detachedWith));
        m_launch->setEnabled(false);
        Q_EMIT completeChanged();
        Q_EMIT runStarted(run);
    });
    connect(m_starter, &RunStarter::failed, this, [this] {
        setBusy(false);
        log(m_starter->error().message);
        if (m_starter->error().message.contains(QLatin1String("already exists"))) {   // the launcher's refusal
            const QString name = m_configuration->settings().runName;
            m_session->existingRuns << name;
            m_taken->showFor(name, m_session->profile.host, m_session->existingRuns);
            setBusy(false);
        }
        if (!m_starter->failureOutput().isEmpty()) {
            m_failure->setPlainText(m_starter->failureOutput());
            m_failure->show();
        }
    });
    setBusy(true);
    m_starter->start(settings(), m_session->profile.remoteRoot, m_timeoutSeconds);
}

void LaunchPage::cancel()
{
    if (m_starter && m_starter->isRunning())
        m_starter->cancel();
}

void LaunchPage::log(const QString &line)
{
    m_log->appendPlainText(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

QString LaunchPage::logText() const
{
    return m_log->toPlainText();
}

QString LaunchPage::failureText() const
{
    return m_failure->toPlainText();
}

void LaunchPage::setBusy(bool busy)
{
    m_busy->setVisible(busy);
    m_launch->setEnabled(!busy && !m_started && !m_taken->isTaken());
    m_cancel->setEnabled(busy);
}

bool LaunchPage::isComplete() const
{
    return m_started;
}

} // namespace rdt
