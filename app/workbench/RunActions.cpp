// Each action owns its remote/ object until that object's finished signal, then deletes it
// later (never inside its own signal).
#include "RunActions.h"

#include "CheckpointRow.h"
#include "MetricsFollower.h"
#include "RunDashboard.h"
#include "SshClient.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace rdt {

RunActions::RunActions(RunDashboard *dashboard, QObject *parent)
    : QObject(parent), m_dashboard(dashboard)
{
}

bool RunActions::isDownloading() const
{
    return m_download && m_download->isRunning();
}

void RunActions::dropConnection()
{
    // A download cut by the connection ends as failed; a new one resumes from its parts.
    if (m_download) {
        const QString run = m_download->property("run").toString();
        const QString local = m_download->property("local").toString();
        m_download->cancel();
        m_download->deleteLater();
        if (m_downloadDialog)
            m_downloadDialog->deleteLater();
        Q_EMIT downloadFinished(run, local, makeError(ErrorCode::ConnectionLost, tr("download of %1 interrupted: the connection dropped").arg(run)));
    }
    for (QObject *object : std::initializer_list<QObject *>{m_stopper, m_launcher}) {
        if (object) {
            disconnect(object, nullptr, this, nullptr);
            object->deleteLater();
        }
    }
    m_stopper = nullptr;
    m_launcher = nullptr;
    m_download = nullptr;
}

void RunActions::stop(SshClient *client, const QString &root, const QString &run)
{
    if (!client) {
        Q_EMIT status(tr("Cannot stop %1: not connected").arg(run));
        return;
    }
    if (m_stopper) {
        Q_EMIT status(tr("A stop is already under way; wait for it to finish"));
        return;
    }
    m_stopper = new RunStopper(client, this);
    connect(m_stopper, &RunStopper::finished, this, [this, run, stopper = m_stopper] {
        const Error error = stopper->error();
        const StopOutcome outcome = stopper->outcome();
        stopper->deleteLater();
        m_stopper = nullptr;
        if (error.code != ErrorCode::None)
            Q_EMIT status(error.message);
        else if (!outcome.wasRunning)
            Q_EMIT status(tr("Run %1 was not running").arg(run));
        else
            Q_EMIT status(tr("Stopped run %1 (%2)").arg(run, outcome.terminated ? tr("SIGINT, then SIGTERM") : tr("SIGINT")));
        Q_EMIT runsChanged();
        Q_EMIT stopFinished(run, error);
    });
    Q_EMIT status(tr("Stopping run %1: SIGINT, SIGTERM after %2 s…").arg(run).arg(RunStopper::kDefaultGraceSeconds));
    m_stopper->stop(root, run);
}

void RunActions::resume(SshClient *client, const QString &root, const QString &run)
{
    if (!client) {
        Q_EMIT status(tr("Cannot resume %1: not connected").arg(run));
        return;
    }
    if (m_launcher) {
        Q_EMIT status(tr("A resume is already under way; wait for it to finish"));
        return;
    }
    LaunchRequest request;
    request.remoteRoot = root;
    request.runName = run;
    request.trainer = m_trainer;
    m_launcher = new RunLauncher(client, this);
    connect(m_launcher, &RunLauncher::finished, this, [this, run, launcher = m_launcher] {
        const Error error = launcher->error();
        launcher->deleteLater();
        m_launcher = nullptr;
        Q_EMIT status(error.code == ErrorCode::None ? tr("Resumed run %1 from its latest checkpoint").arg(run) : error.message);
        Q_EMIT runsChanged();
        Q_EMIT resumeFinished(run, error);
    });
    Q_EMIT status(tr("Resuming run %1 from its latest checkpoint…").arg(run));
    m_launcher->resume(request);
}

void RunActions::download(SshClient *client, const QString &root, const QString &run,
                          const CheckpointRow &checkpoint)
{
    if (!client) {
        Q_EMIT status(tr("Cannot download %1: not connected").arg(checkpoint.path));
        return;
    }
    if (isDownloading()) {
        Q_EMIT status(tr("A download is already under way"));
        return;
    }
    const QString folder = m_chooseFolder
        ? m_chooseFolder(checkpoint.path)
        : QFileDialog::getExistingDirectory(m_dashboard, tr("Download %1 of %2 into").arg(checkpoint.path, run));
    if (folder.isEmpty())
        return;
    // FOLDER/RUN/checkpoint-N: checkpoints of different runs share their names.
    const QString local = QDir(folder).filePath(run + QLatin1Char('/') + checkpoint.path);
    const QString remote = QFileInfo(MetricsFollower::metricsPath(root, run)).path() + QLatin1Char('/') + checkpoint.path;
    m_download = new CheckpointDownload(client, this);
    m_download->setProperty("run", run);
    m_download->setProperty("local", local);
    m_downloadDialog = new QProgressDialog(tr("Downloading %1 of %2…").arg(checkpoint.path, run), tr("Cancel"), 0, 1000, m_dashboard);
    m_downloadDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_downloadDialog->setWindowModality(Qt::NonModal);
    m_downloadDialog->setMinimumDuration(0);
    m_downloadDialog->setAutoClose(false);
    m_downloadDialog->setAutoReset(false);
    connect(m_downloadDialog, &QProgressDialog::canceled, this, [this, run, local] {
        if (!isDownloading())
            return;
        m_download->cancel();
        m_download->deleteLater();
        m_download = nullptr;
        Q_EMIT status(tr("Download of %1 cancelled; starting it again resumes what was fetched").arg(local));
        Q_EMIT downloadFinished(run, local, makeError(ErrorCode::Cancelled, tr("cancelled")));
    });
    connect(m_download, &CheckpointDownload::stage, m_downloadDialog, &QProgressDialog::setLabelText);
    connect(m_download, &CheckpointDownload::progress, m_downloadDialog,
            [dialog = m_downloadDialog](const TransferProgress &total, const QString &file) {
                dialog->setValue(int(total.fraction() * 1000));
                dialog->setLabelText(tr("%1 (%2 of %3 MB)").arg(file).arg(total.bytesDone / 1e6, 0, 'f', 1).arg(total.bytesTotal / 1e6, 0, 'f', 1));
            });
    connect(m_download, &CheckpointDownload::finished, this, [this, run, local, download = m_download] {
        const Error error = download->error();
        download->deleteLater();
        m_download = nullptr;
        if (m_downloadDialog)
            m_downloadDialog->close();
        Q_EMIT status(error.code == ErrorCode::None ? tr("Downloaded %1 (checksums verified)").arg(local) : error.message);
        Q_EMIT downloadFinished(run, local, error);
    });
    m_downloadDialog->show();
    Q_EMIT status(tr("Downloading %1 to %2…").arg(checkpoint.path, local));
    m_download->start(remote, local);
}

} // namespace rdt
