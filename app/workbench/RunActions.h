// The run dashboard's intents on one run: stop it, resume it from its latest checkpoint,
// download one of its checkpoints (with a progress dialog whose Cancel stops it). One of
// each at a time; each says what it does on the status line and ends with its signal.
#pragma once

#include "CheckpointDownload.h"
#include "Result.h"
#include "RunLauncher.h"
#include "RunStopper.h"

#include <QObject>
#include <QPointer>
#include <QProgressDialog>
#include <QString>

#include <functional>

namespace rdt {

class RunDashboard;
class SshClient;
struct CheckpointRow;

class RunActions : public QObject {
    Q_OBJECT
public:
    // `dashboard` outlives this; it parents the download's folder and progress dialogs.
    explicit RunActions(RunDashboard *dashboard, QObject *parent = nullptr);

    void setTrainer(const QString &trainer) { m_trainer = trainer; }
    void setDownloadFolderChooser(std::function<QString(const QString &checkpoint)> chooser)
    {
        m_chooseFolder = std::move(chooser);
    }

    // client: the connection (null: not connected, which the status line says); root: the
    // runs' folder on the server.
    void stop(SshClient *client, const QString &root, const QString &run);
    void resume(SshClient *client, const QString &root, const QString &run);
    void download(SshClient *client, const QString &root, const QString &run,
                  const CheckpointRow &checkpoint);
    bool isDownloading() const;

    // The connection is gone: a download ends as failed (a new one resumes from its parts);
    // a stop or resume under way is abandoned without its signal.
    void dropConnection();

Q_SIGNALS:
    void status(const QString &text);
    void runsChanged();   // after a stop or a resume: the run list is worth refreshing
    void stopFinished(const QString &run, const rdt::Error &error);
    void resumeFinished(const QString &run, const rdt::Error &error);
    void downloadFinished(const QString &run, const QString &localFolder, const rdt::Error &error);

private:
    RunDashboard *m_dashboard;
    QString m_trainer = QStringLiteral("rdt-trainer");
    std::function<QString(const QString &)> m_chooseFolder;
    QPointer<RunStopper> m_stopper;
    QPointer<RunLauncher> m_launcher;
    QPointer<CheckpointDownload> m_download;
    QPointer<QProgressDialog> m_downloadDialog;
};

} // namespace rdt
