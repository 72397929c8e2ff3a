// Feeds the run dashboard from the server: the run list every few seconds, one
// MetricsFollower per followed run (the current one and the overlaid ones: backfill, then
// live), the current run's train.log and checkpoints, one GpuMonitor; and carries out the
// dashboard's intents (stop, resume, download a checkpoint) through RunActions. It follows
// the application's HostConnection to the server: when that drops, everything here says
// so and waits, and once it is back the followers go on from their byte offsets, so no
// point is lost or plotted twice. Everything is asynchronous: the GUI thread only reacts
// to signals.
#pragma once

#include "CheckpointList.h"
#include "GpuMonitor.h"
#include "MetricsEvent.h"
#include "Result.h"
#include "RunListWatcher.h"
#include "SshClient.h"
#include "HostConnection.h"
#include "SshHost.h"
#include "SshQuestions.h"

#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

class QLabel;

namespace rdt {

class EvalController;
class MetricsFollower;
class RankWatcher;
class RunActions;
class RunDashboard;
class RunLogTail;
struct CheckpointRow;

class DashboardController : public QObject {
    Q_OBJECT
public:
    enum class Link {
        Detached,       // no server given yet
        Attached,       // connected, following
        Reconnecting,   // the connection dropped; its HostConnection tries the same route again
    };
    Q_ENUM(Link)
    // Between tries of a follow that ended for another reason than the connection.
    static constexpr int kReconnectDelayMs = HostConnection::kReconnectDelayMs;

    // `dashboard` and `statusLine` (may be null) outlive the controller.
    explicit DashboardController(RunDashboard *dashboard, QLabel *statusLine = nullptr, QObject *parent = nullptr);
    ~DashboardController() override;

    // Questions a reconnection may ask (host keys accepted only once, passphrases).
    void setQuestions(const SshQuestions &questions) { m_questions = questions; }
    // The trainer a resume starts (a path on the server, or a name on its PATH).
    void setTrainer(const QString &trainer);
    // Asked before a stop is carried out (false: not stopped); none: stop at once.
    void setStopConfirmation(std::function<bool(const QString &run)> confirm) { m_confirmStop = std::move(confirm); }
    // Where a checkpoint download goes; by default a QFileDialog asks. Empty: cancelled.
    void setDownloadFolderChooser(std::function<QString(const QString &checkpoint)> chooser);

    // Starts following the runs under `remoteRoot` on the server `host` connects to (not
    // owned; shared with the other views): now if it is connected, else once it is.
    void attach(HostConnection *host, const QString &remoteRoot);
    // The same with a client connected elsewhere (not owned): a HostConnection of the
    // controller's own adopts it and reconnects on its route when it drops.
    void attach(SshClient *client, const QString &remoteRoot);
    void detach();
    // Makes `run` the current run (the wizard's hand-over).
    void showRun(const QString &run);

    Link link() const { return m_link; }
    QString statusText() const { return m_status; }
    SshClient *client() const { return m_client; }
    HostConnection *host() const { return m_host; }
    QString remoteRoot() const { return m_root; }
    int reconnections() const { return m_reconnections; }
    bool isDownloading() const;
    EvalController *evals() const { return m_evals; }   // the Eval tab's back end

Q_SIGNALS:
    void statusChanged(const QString &text);
    void linkChanged(rdt::DashboardController::Link link);
    void startRequested();                               // the run list's Start: the wizard's launch page
    void stopFinished(const QString &run, const rdt::Error &error);
    void resumeFinished(const QString &run, const rdt::Error &error);
    void downloadFinished(const QString &run, const QString &localFolder, const rdt::Error &error);

private:
    struct Followed;

    void setStatus(Link link, const QString &text);
    void followHost(HostConnection *host, const QString &remoteRoot);
    void onHostConnected(SshClient *client);
    void onHostStateChanged(HostConnection::State state, const QString &text);
    void startClientWork();
    void dropClientWork();
    void onConnectionLost(const Error &error);
    void openLog(const QString &run);

    void onRunsListed(const QJsonArray &runs);
    void onCurrentRunChanged(const QString &run);
    void onOverlayChanged(const QString &run, bool overlaid);
    bool isWanted(const QString &run) const;
    Followed &followed(const QString &run);
    void follow(const QString &run);
    void unfollow(const QString &run);
    void onEvents(const QString &run, const MetricsEventList &events);
    void onFollowInterrupted(const QString &run, const Error &error);
    // Queues a listing of the run's checkpoints (the table for the current run, the plot's
    // marks for every shown run); one listing runs at a time.
    void listCheckpointsOf(const QString &run);
    void listNextCheckpoints();
    void onCheckpointsListed();

    // The client the run actions may use: none unless attached.
    SshClient *attachedClient() const;

    RunDashboard *m_dashboard;
    QPointer<QLabel> m_statusLine;
    SshQuestions m_questions;
    RunActions *m_actions;   // stop, resume, download; a child
    std::function<bool(const QString &run)> m_confirmStop;
    EvalController *m_evals;   // the Eval tab; a child
    RankWatcher *m_ranks;    // other ranks' errors and GPUs of data-parallel runs; a child

    // The server: the application's connection given to attach(), or our own adopting a
    // client given there; m_client is its client while attached.
    QPointer<HostConnection> m_host;
    HostConnection *m_ownHost = nullptr;   // owned; deleted later (never inside its own signal)
    QPointer<SshClient> m_client;
    QString m_root;
    Link m_link = Link::Detached;
    QString m_status;
    int m_reconnections = 0;

    // Per run, kept while the dashboard runs so a run followed again resumes at its offset.
    std::map<QString, std::unique_ptr<Followed>> m_followed;
    QSet<QString> m_overlaid;
    QString m_current;
    QTimer m_retryFollowTimer;     // a follow ended for another reason than the connection
    QTimer m_checkpointTimer;      // coalesces checkpoint events into one listing per run
    QSet<QString> m_checkpointEvents;   // runs that logged a checkpoint since the last listing
    QStringList m_checkpointQueue;      // runs waiting for a listing

    // Objects bound to the current client; dropped with it.
    QPointer<RunListWatcher> m_runList;
    QPointer<GpuMonitor> m_gpus;
    QPointer<CheckpointList> m_checkpoints;
    QString m_checkpointsRun;           // the run being listed; empty when none is
};

} // namespace rdt
