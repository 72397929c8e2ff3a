// The dashboard's wiring to remote/. Objects that hold the SshClient (run list, GPU
// monitor, checkpoint list, stop, resume, download) live as long as that client and are
// dropped with it; the followers only borrow a client per follow, so they outlive a lost
// connection and carry their offsets over to the next one.
#include "DashboardController.h"

#include "CheckpointList.h"
#include "ConfigurationExport.h"
#include "DashboardExportButton.h"
#include "DashboardRows.h"
#include "EvalController.h"
#include "GpuMonitor.h"
#include "LogPanel.h"
#include "MetricsFollower.h"
#include "RunDashboard.h"
#include "RunNotices.h"
#include "RankWatcher.h"
#include "GpuPanel.h"
#include "RunListWatcher.h"
#include "RunLogTail.h"
#include "RunActions.h"
#include "SshClient.h"

#include <QJsonObject>
#include <QLabel>
#include <QTabWidget>

#include <utility>

namespace rdt {

// What the controller keeps per followed run.
struct DashboardController::Followed {
    std::unique_ptr<MetricsFollower> metrics;
    std::unique_ptr<RunLogTail> log;
    RunRow row;   // the last listing's row, updated by the run's own events
};

DashboardController::DashboardController(RunDashboard *dashboard, QLabel *statusLine, QObject *parent)
    : QObject(parent), m_dashboard(dashboard), m_statusLine(statusLine),
      m_actions(new RunActions(dashboard, this)), m_evals(new EvalController(dashboard->evalView(), this)), m_ranks(new RankWatcher(this))
{
    new ConfigurationExport(this, dashboard->exportButton(), this);   // the Export menu's configuration item
    connect(m_ranks, &RankWatcher::errorsFound, this, [this](const QString &run, const QStringList &errors) {
        m_dashboard->notices()->setNotices(run, tr("other ranks"), errors);
    });
    connect(m_ranks, &RankWatcher::rolesChanged, m_dashboard->gpuPanel(), &GpuPanel::setRoles);
    m_retryFollowTimer.setSingleShot(true);
    m_retryFollowTimer.setInterval(kReconnectDelayMs);
    connect(&m_retryFollowTimer, &QTimer::timeout, this, [this] {
        for (const auto &entry : m_followed) {
            if (isWanted(entry.first))
                follow(entry.first);
        }
    });
    m_checkpointTimer.setSingleShot(true);
    m_checkpointTimer.setInterval(1000);
    connect(&m_checkpointTimer, &QTimer::timeout, this, [this] {
        for (const QString &run : std::exchange(m_checkpointEvents, {}))
            listCheckpointsOf(run);
    });

    connect(m_dashboard, &RunDashboard::currentRunChanged, this, &DashboardController::onCurrentRunChanged);
    connect(m_dashboard, &RunDashboard::overlayChanged, this, &DashboardController::onOverlayChanged);
    connect(m_dashboard, &RunDashboard::startRequested, this, &DashboardController::startRequested);
    connect(m_dashboard, &RunDashboard::stopRequested, this, [this](const QString &run) {
        if (m_confirmStop && !m_confirmStop(run))
            return;
        m_actions->stop(attachedClient(), m_root, run);
    });
    connect(m_dashboard, &RunDashboard::resumeRequested, this, [this](const QString &run) {
        m_actions->resume(attachedClient(), m_root, run);
    });
    connect(m_dashboard, &RunDashboard::openLogRequested, this, &DashboardController::openLog);
    connect(m_dashboard, &RunDashboard::downloadCheckpointRequested, this,
            [this](const QString &run, const CheckpointRow &checkpoint) {
                m_actions->download(attachedClient(), m_root, run, checkpoint);
            });
    connect(m_actions, &RunActions::status, this, [this](const QString &text) { setStatus(m_link, text); });
    connect(m_actions, &RunActions::runsChanged, this, [this] {
        if (m_runList)
            m_runList->refreshNow();
    });
    connect(m_actions, &RunActions::stopFinished, this, &DashboardController::stopFinished);
    connect(m_actions, &RunActions::resumeFinished, this, &DashboardController::resumeFinished);
    connect(m_actions, &RunActions::downloadFinished, this, &DashboardController::downloadFinished);
    setStatus(Link::Detached, tr("Not connected: connect in the setup wizard or the Server view"));
}

DashboardController::~DashboardController()
{
    detach();
}

void DashboardController::setTrainer(const QString &trainer)
{
    m_actions->setTrainer(trainer);
    m_evals->setTrainer(trainer);
}

void DashboardController::setDownloadFolderChooser(std::function<QString(const QString &)> chooser)
{
    m_actions->setDownloadFolderChooser(std::move(chooser));
}

SshClient *DashboardController::attachedClient() const
{
    return m_link == Link::Attached ? m_client.data() : nullptr;
}

bool DashboardController::isDownloading() const
{
    return m_actions->isDownloading();
}

void DashboardController::setStatus(Link link, const QString &text)
{
    const bool linkChangedNow = link != m_link;
    m_link = link;
    m_status = text;
    if (m_statusLine)
        m_statusLine->setText(text);
    Q_EMIT statusChanged(text);
    if (linkChangedNow)
        Q_EMIT linkChanged(link);
}

void DashboardController::attach(HostConnection *host, const QString &remoteRoot)
{
    Q_ASSERT(host);
    detach();
    followHost(host, remoteRoot);
}

void DashboardController::attach(SshClient *client, const QString &remoteRoot)
{
    Q_ASSERT(client && client->isConnected());
    detach();
    m_ownHost = new HostConnection(client->route(), m_questions, this);
    m_ownHost->adopt(client);
    followHost(m_ownHost, remoteRoot);
}

void DashboardController::followHost(HostConnection *host, const QString &remoteRoot)
{
    m_root = remoteRoot;
    m_host = host;
    connect(host, &HostConnection::connected, this, &DashboardController::onHostConnected);
    connect(host, &HostConnection::lost, this, &DashboardController::onConnectionLost);
    connect(host, &HostConnection::stateChanged, this, &DashboardController::onHostStateChanged);
    if (SshClient *client = host->client()) {
        m_client = client;
        // Attached first: the work started next follows only while attached.
        setStatus(Link::Attached, tr("Following the runs under %1 on %2").arg(m_root, host->name()));
        startClientWork();
    } else {
        onHostStateChanged(host->state(), host->statusText());
    }
}

void DashboardController::detach()
{
    m_retryFollowTimer.stop();
    dropClientWork();
    for (const auto &entry : m_followed) {
        entry.second->metrics->stop();
        entry.second->log->stop();
    }
    // Another root (or server) may hold runs of the same names: nothing carries over.
    m_followed.clear();
    if (m_host)
        disconnect(m_host, nullptr, this, nullptr);
    m_host = nullptr;
    m_client = nullptr;
    if (m_ownHost) {
        m_ownHost->deleteLater();
        m_ownHost = nullptr;
    }
    if (m_link != Link::Detached)
        setStatus(Link::Detached, tr("Not connected"));
}

// "Open log": the Training tab, and a log showing nothing read again from its last MiB by a
// new follow (the one before may have stopped, or, seen in the sandbox, run silent).
void DashboardController::openLog(const QString &run)
{
    if (run.isEmpty())
        return;
    m_dashboard->setCurrentRun(run);
    m_dashboard->tabs()->setCurrentIndex(0);
    if (m_link != Link::Attached || !m_client)
        return;   // the reattachment follows the current run's log
    Followed &entry = followed(run);
    if (!entry.log->isFollowing())
        entry.log->resume(m_client);
    else if (m_dashboard->logPanel()->text().isEmpty())
        entry.log->start(m_client);   // nothing shown, so nothing is read twice
}

void DashboardController::showRun(const QString &run)
{
    m_dashboard->setCurrentRun(run);
    if (m_runList)
        m_runList->refreshNow();   // its row (state, max steps) soon
}

// The server is (back) up: everything starts again on its client.
void DashboardController::onHostConnected(SshClient *client)
{
    if (m_link == Link::Attached && m_client == client)
        return;
    const bool again = m_link == Link::Reconnecting;
    dropClientWork();
    m_client = client;
    // Attached first: the work started next follows only while attached.
    if (again) {
        ++m_reconnections;
        setStatus(Link::Attached, tr("Reattached to %1 after a lost connection; following on from where it stopped")
                                      .arg(m_host->name()));
    } else {
        setStatus(Link::Attached, tr("Following the runs under %1 on %2").arg(m_root, m_host->name()));
    }
    startClientWork();
}

// The server's own words while it is not connected: the same status as every other view's.
void DashboardController::onHostStateChanged(HostConnection::State state, const QString &text)
{
    switch (state) {
    case HostConnection::State::Connected:
        return;   // onHostConnected
    case HostConnection::State::Connecting:
    case HostConnection::State::Reconnecting:
        if (m_link != Link::Attached)
            setStatus(Link::Reconnecting, text);
        return;
    case HostConnection::State::Disconnected:
        onConnectionLost(makeError(ErrorCode::ConnectionLost, text));
        setStatus(Link::Detached, tr("Not connected (%1): connect in the setup wizard or the Server view").arg(text));
        return;
    }
}

// Everything that needs the connection, (re)started on a fresh one.
void DashboardController::startClientWork()
{
    m_runList = new RunListWatcher(m_client, m_root, this);
    connect(m_runList, &RunListWatcher::listed, this, &DashboardController::onRunsListed);
    connect(m_runList, &RunListWatcher::failed, this, [this](const Error &error) {
        if (error.code != ErrorCode::ConnectionLost)
            setStatus(m_link, tr("Listing the runs failed: %1").arg(error.message));
    });
    m_runList->start();

    m_gpus = new GpuMonitor(m_client, this);
    connect(m_gpus, &GpuMonitor::sampled, this, [this](const QList<GpuInfo> &gpus) {
        QList<GpuSample> samples;
        for (const GpuInfo &gpu : gpus)
            samples.append(DashboardRows::gpuSample(gpu));
        m_dashboard->setGpuSamples(samples);
    });
    connect(m_gpus, &GpuMonitor::unavailable, m_dashboard, &RunDashboard::setGpuUnavailable);
    m_gpus->start();
    const SshHost &target = m_host->route().target;
    m_evals->attach(m_client, m_root, target.alias.isEmpty() ? target.hostName : target.alias);
    m_ranks->setClient(m_client, m_root);

    // Every shown run, including one made current while there was no connection (it has no
    // follower yet: without this its plot and log stayed empty).
    QStringList wanted(m_overlaid.begin(), m_overlaid.end());
    if (!m_current.isEmpty())
        wanted.prepend(m_current);
    for (const QString &run : wanted)
        follow(run);
    if (!m_current.isEmpty())
        listCheckpointsOf(m_current);
    for (const QString &run : m_overlaid)
        listCheckpointsOf(run);
}

void DashboardController::dropClientWork()
{
    m_actions->dropConnection();
    m_evals->detach();
    m_ranks->setClient(nullptr, {});
    for (QObject *object : std::initializer_list<QObject *>{m_runList, m_gpus, m_checkpoints}) {
        if (object) {
            disconnect(object, nullptr, this, nullptr);
            object->deleteLater();
        }
    }
    if (m_gpus)
        m_gpus->stop();
    m_runList = nullptr;
    m_gpus = nullptr;
    m_checkpoints = nullptr;
    m_checkpointsRun.clear();
    m_checkpointQueue.clear();
}

void DashboardController::onConnectionLost(const Error &error)
{
    if (m_link != Link::Attached)
        return;   // the host and a follower may both report the same loss
    dropClientWork();
    for (const auto &entry : m_followed) {
        entry.second->metrics->stop();
        entry.second->log->stop();
    }
    m_client = nullptr;
    setStatus(Link::Reconnecting, tr("Connection lost (%1); the trainer keeps running. Reconnecting…").arg(error.message));
}

void DashboardController::onRunsListed(const QJsonArray &runs)
{
    QList<RunRow> rows;
    for (const QJsonValue &value : runs) {
        RunRow row = DashboardRows::runRow(value.toObject());
        // A followed run's own events may be newer than the scan (a start event's max steps).
        const auto found = m_followed.find(row.name);
        if (found != m_followed.end() && row.maxSteps == 0)
            row.maxSteps = found->second->row.maxSteps;
        if (found != m_followed.end())
            found->second->row = row;
        rows.append(row);
    }
    m_dashboard->setRuns(rows);
}

bool DashboardController::isWanted(const QString &run) const
{
    return !run.isEmpty() && (run == m_current || m_overlaid.contains(run));
}

DashboardController::Followed &DashboardController::followed(const QString &run)
{
    std::unique_ptr<Followed> &slot = m_followed[run];
    if (slot)
        return *slot;
    slot = std::make_unique<Followed>();
    slot->row.name = run;
    slot->metrics = std::make_unique<MetricsFollower>();
    slot->log = std::make_unique<RunLogTail>(RunLogTail::logPath(m_root, run));
    MetricsFollower *metrics = slot->metrics.get();
    connect(metrics, &MetricsFollower::eventsArrived, this,
            [this, run](const MetricsEventList &events) { onEvents(run, events); });
    connect(metrics, &MetricsFollower::restarted, this, [this, run] {
        // The file started again (a new run under the same name): so does the plot.
        m_dashboard->clearRunData(run);
    });
    connect(metrics, &MetricsFollower::interrupted, this,
            [this, run](const Error &error) { onFollowInterrupted(run, error); });
    RunLogTail *log = slot->log.get();
    connect(log, &RunLogTail::linesArrived, this, [this, run](const QStringList &lines) { m_dashboard->appendLog(run, lines); });
    connect(log, &RunLogTail::interrupted, this, [this, run](const Error &error) { onFollowInterrupted(run, error); });
    return *slot;
}

// Starts or resumes the run's metrics (and, for the current run, its log) on the client.
void DashboardController::follow(const QString &run)
{
    if (m_link != Link::Attached || !m_client)
        return;   // the reattachment follows every wanted run
    Followed &entry = followed(run);
    if (!entry.metrics->isFollowing()) {
        if (entry.metrics->path().isEmpty())
            entry.metrics->start(m_client, MetricsFollower::metricsPath(m_root, run));
        else
            entry.metrics->resume(m_client);
    }
    if (run == m_current && !entry.log->isFollowing())
        entry.log->resume(m_client);
}

void DashboardController::unfollow(const QString &run)
{
    const auto found = m_followed.find(run);
    if (found == m_followed.end())
        return;
    if (!isWanted(run))
        found->second->metrics->stop();
    if (run != m_current)
        found->second->log->stop();
}

void DashboardController::onCurrentRunChanged(const QString &run)
{
    const QString previous = m_current;
    m_current = run;
    m_evals->setRun(run);
    unfollow(previous);
    if (run.isEmpty())
        return;
    follow(run);
    listCheckpointsOf(run);
}

void DashboardController::onOverlayChanged(const QString &run, bool overlaid)
{
    if (overlaid) {
        m_overlaid.insert(run);
        follow(run);
        listCheckpointsOf(run);
    } else {
        m_overlaid.remove(run);
        unfollow(run);
    }
}

void DashboardController::onEvents(const QString &run, const MetricsEventList &events)
{
    Followed &entry = followed(run);
    QList<MetricPoint> points;
    const auto flushPoints = [&] {
        if (!points.isEmpty())
            m_dashboard->appendMetrics(run, points);
        points.clear();
    };
    bool rowChanged = false;
    for (const MetricsEvent &event : events) {
        switch (event.kind) {
        case MetricsEvent::Kind::Step:
            points.append(DashboardRows::metricPoint(event));
            break;
        case MetricsEvent::Kind::Sample:
            flushPoints();
            m_dashboard->addSample(run, SampleEvent{event.step, event.time, event.sampleMse});
            break;
        case MetricsEvent::Kind::Checkpoint:
            // The table shows what the server holds: with --checkpoints_total_limit most
            // folders the events name are deleted again, so the listing adds the rows.
            m_checkpointEvents.insert(run);
            m_checkpointTimer.start();
            break;
        case MetricsEvent::Kind::Start:
            flushPoints();
            if (event.maxTrainSteps > 0)
                entry.row.maxSteps = event.maxTrainSteps;
            if (!entry.row.startTime.isValid())
                entry.row.startTime = DashboardRows::timeOf(event.time);
            entry.row.state = RunRowState::Running;
            rowChanged = true;
            m_dashboard->notices()->setNotices(run, tr("conditioning"), event.conditioningWarnings);
            m_ranks->watch(run, event.worldSize);
            break;
        case MetricsEvent::Kind::Done:
            entry.row.state = RunRowState::Finished;
            rowChanged = true;
            break;
        case MetricsEvent::Kind::Error:
            entry.row.state = RunRowState::Failed;
            rowChanged = true;
            break;
        }
    }
    flushPoints();
    if (rowChanged)
        m_dashboard->updateRun(entry.row);
}

void DashboardController::onFollowInterrupted(const QString &run, const Error &error)
{
    // A lost connection is the HostConnection's to notice and mend, for every view at once;
    // while it still says connected, the follow is simply tried again.
    if (m_link == Link::Attached && isWanted(run)) {
        setStatus(m_link, tr("Following run %1 stopped (%2); trying again…").arg(run, error.message));
        m_retryFollowTimer.start();
    }
}

void DashboardController::listCheckpointsOf(const QString &run)
{
    if (!m_checkpointQueue.contains(run))
        m_checkpointQueue.append(run);
    listNextCheckpoints();
}

void DashboardController::listNextCheckpoints()
{
    if (m_link != Link::Attached || !m_client || !m_checkpointsRun.isEmpty())
        return;
    // Runs no longer shown are skipped; the current one goes first.
    m_checkpointQueue.removeIf([this](const QString &run) { return !isWanted(run); });
    if (m_checkpointQueue.removeOne(m_current))
        m_checkpointQueue.prepend(m_current);
    if (m_checkpointQueue.isEmpty())
        return;
    if (!m_checkpoints) {
        m_checkpoints = new CheckpointList(m_client, this);
        connect(m_checkpoints, &CheckpointList::finished, this, &DashboardController::onCheckpointsListed);
    }
    m_checkpointsRun = m_checkpointQueue.takeFirst();
    m_checkpoints->refresh(m_root, m_checkpointsRun);
}

void DashboardController::onCheckpointsListed()
{
    const QString run = std::exchange(m_checkpointsRun, QString());
    if (m_checkpoints->error().code != ErrorCode::None) {
        if (m_checkpoints->error().code != ErrorCode::ConnectionLost) {
            setStatus(m_link, tr("Listing the checkpoints of %1 failed: %2").arg(run, m_checkpoints->error().message));
            listNextCheckpoints();
        }
        return;
    }
    std::vector<CheckpointRow> rows;
    for (const CheckpointInfo &info : m_checkpoints->checkpoints()) {
        CheckpointRow row;
        row.step = info.step;
        row.time = info.modified;
        row.sizeBytes = info.bytes;
        row.path = info.name;
        rows.push_back(row);
    }
    m_dashboard->setCheckpoints(run, rows);
    listNextCheckpoints();
}

} // namespace rdt
