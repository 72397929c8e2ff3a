// Same script as the server check's "Fix: compute statistics", so both write the file the
// same way (a temporary name, then renamed).
#include "StatisticsRecompute.h"

#include "RemoteProcess.h"
#include "SshClient.h"
#include "WizardScripts.h"
#include "WizardSession.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace rdt {

StatisticsRecompute::StatisticsRecompute(WizardSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_button(new QPushButton(tr("Recompute statistics"), this)),
      m_status(new QLabel(this))
{
    m_button->setToolTip(tr("Run rdt-trainer stats on the server: it reads the whole dataset once"));
    m_status->setWordWrap(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_button);
    layout->addWidget(m_status, 1);
    connect(m_button, &QPushButton::clicked, this, [this] { isRunning() ? cancel() : start(); });
    setVisible(false);
}

void StatisticsRecompute::setVerdict(const QString &verdict)
{
    const bool needed = verdict.startsWith(QLatin1String("Recompute the statistics"));
    if (!isRunning())
        setVisible(needed);
    if (needed && !isRunning())
        m_status->clear();
}

QString StatisticsRecompute::statusText() const
{
    return m_status->text();
}

void StatisticsRecompute::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #a40000;") : QString());
}

void StatisticsRecompute::start()
{
    SshClient *client = m_session->client();
    if (!client || !client->isConnected()) {
        showStatus(tr("Not connected to the server: connect on the first page, then recompute."), true);
        return;
    }
    const auto copies = m_session->copies();
    m_errors.clear();
    m_cancelled = false;
    CommandSpec spec;
    spec.argv = wizardscripts::shArgv(wizardscripts::kComputeStatistics,
                                      {m_session->profile.remoteRoot, copies.remoteDataset, copies.remoteStatistics});
    m_process = client->start(spec);
    connect(m_process, &RemoteProcess::standardError, this, [this](const QByteArray &data) { m_errors += data; });
    connect(m_process, &RemoteProcess::finished, this, &StatisticsRecompute::finished);
    m_button->setText(tr("Cancel"));
    showStatus(tr("Computing the statistics of %1 on the server…").arg(copies.remoteDataset), false);
}

void StatisticsRecompute::cancel()
{
    if (!m_process)
        return;
    m_cancelled = true;
    m_process->cancel();
}

void StatisticsRecompute::finished()
{
    RemoteProcess *process = m_process;
    m_process = nullptr;
    process->deleteLater();
    m_button->setText(tr("Recompute statistics"));
    if (m_cancelled)
        return showStatus(tr("Cancelled; the statistics on the server are as they were."), true);
    if (process->error().code != ErrorCode::None || process->exitStatus() != 0) {
        const QString reason = process->error().code != ErrorCode::None ? process->error().message
                                                                        : QString::fromUtf8(m_errors).trimmed();
        return showStatus(tr("Computing the statistics failed: %1").arg(reason), true);
    }
    showStatus(tr("Statistics computed; comparing again…"), false);
    Q_EMIT recomputed();
}

} // namespace rdt
