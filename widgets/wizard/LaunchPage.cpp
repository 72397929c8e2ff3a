// The launch page.
#include "LaunchPage.h"

#include "SshClient.h"
#include "TakenRunNote.h"
#include "TrainingConfigPage.h"
#include "WizardSession.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTime>
#include <QVBoxLayout>

namespace rdt {

LaunchPage::LaunchPage(WizardSession *session, TrainingConfigPage *configuration, QWidget *parent)
    : QWizardPage(parent), m_session(session), m_configuration(configuration), m_summary(new QLabel), m_taken(new TakenRunNote),
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
    layout->addLayout(buttons);
    layout->addWidget(m_log, 1);
    layout->addWidget(m_failure, 1);

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
    const QString folder = m_session->profile.remoteRoot + QStringLiteral("/runs/") + settings.runName;
    m_summary->setText(tr("<b>Run %1</b> on %2, in %3<br>%4<br><br>%5")
                           .arg(settings.runName.toHtmlEscaped(), m_session->profile.host.toHtmlEscaped(),
                                folder.toHtmlEscaped(), settings.summary().toHtmlEscaped(),
                                m_configuration->estimatesText()));
    m_started = false;
    m_failure->hide();
    m_log->clear();
    // Each visit is a new launch: the last one's started state must not keep Launch off.
    m_taken->showFor(settings.runName, m_session->profile.host, m_session->existingRuns);
    setBusy(false);
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
    m_starter->start(m_configuration->settings(), m_session->profile.remoteRoot, m_timeoutSeconds);
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
