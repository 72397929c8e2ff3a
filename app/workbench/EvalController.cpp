// The controller keeps one checkpoint in view; switching run or checkpoint drops the old
// one's follow and download (the eval itself goes on on the server). Every server answer is
// checked against the run and checkpoint it was asked for before it touches the view.
#include "EvalController.h"

#include "EvalCommandLine.h"
#include "EvalCommandPresets.h"
#include "EvalCommandRecord.h"
#include "EvalDownloader.h"
#include "EvalFieldMemory.h"
#include "EvalFieldsForm.h"
#include "EvalLaunchPanel.h"
#include "EvalLauncher.h"
#include "EvalList.h"
#include "EvalResults.h"
#include "EvalView.h"
#include "LocalEvalResults.h"
#include "RunStopper.h"
#include "SshClient.h"

#include <QFileInfo>

#include <cmath>

namespace rdt {

EvalController::EvalController(EvalView *view, QObject *parent) : QObject(parent), m_view(view)
{
    EvalLaunchPanel *panel = m_view->launchPanel();
    connect(panel, &EvalLaunchPanel::checkpointChanged, this, [this](const QString &checkpoint) {
        if (checkpoint != m_checkpoint)
            showCheckpoint(checkpoint);
    });
    connect(panel, &EvalLaunchPanel::launchRequested, this, &EvalController::launch);
    connect(panel, &EvalLaunchPanel::commandChanged, this, &EvalController::showCommandFields);
    panel->fieldsForm()->setClientSource([this] { return m_client.data(); });
    connect(panel->fieldsForm(), &EvalFieldsForm::valuesEdited, this, [this] {
        const QString preset = m_view->launchPanel()->options().command;
        if (!preset.isEmpty())
            EvalFieldMemory::remember(m_host, preset, m_view->launchPanel()->fieldsForm()->values());
    });
    connect(panel, &EvalLaunchPanel::cancelRequested, this, &EvalController::cancel);
    connect(m_view, &EvalView::videosWanted, this, [this](const QString &checkpoint) {
        if (checkpoint == m_checkpoint)
            download();
    });
    connect(m_view, &EvalView::clearCacheRequested, this, [this] {
        if (isDownloading())
            return m_view->launchPanel()->setStatus(tr("Wait for the download to end before clearing"), true);
        if (Result<void> cleared = m_cache.clear(); !cleared)
            m_view->launchPanel()->setStatus(cleared.error().message, true);
        refreshCacheSize();   // the size shown was the cache's before
        // Not asking the server: a finished eval would be fetched straight back. Choosing
        // the checkpoint again fetches it.
        showCheckpoint(m_checkpoint, false);
    });

    connect(&m_follower, &EvalFollower::started, this, [this](int episodes) {
        m_total = episodes;
        m_view->launchPanel()->setProgress(0, episodes, tr("loading the checkpoint done"));
    });
    connect(&m_follower, &EvalFollower::episodeFinished, this, [this](const EvalEvent &event) {
        m_view->launchPanel()->setProgress(event.index + 1, m_total,
                                           tr("%1: MSE %2").arg(event.episode).arg(event.mse, 0, 'g', 4));
    });
    connect(&m_follower, &EvalFollower::done, this, [this](int episodes) {
        ended({});
        m_view->launchPanel()->setStatus(tr("Eval of %1 done: %2 episodes; fetching its videos").arg(m_checkpoint).arg(episodes),
                                         false);
        download();
    });
    connect(&m_follower, &EvalFollower::failed, this, [this](const QString &message) {
        ended(message);
        m_view->launchPanel()->setStatus(tr("Eval of %1 failed: %2").arg(m_checkpoint, message), true);
    });
    connect(&m_follower, &EvalFollower::interrupted, this, [this](const Error &error) {
        m_view->launchPanel()->setStatus(tr("%1 (the eval goes on on the server)").arg(error.message), true);
    });
    // The eval commands on offer, the trainer's first; a user file that does not parse is
    // said once, and only the trainer's eval is offered.
    Result<std::vector<EvalCommandPreset>> presets = EvalCommandPresets::load();
    QStringList names = {EvalCommandPresets::trainerPresetName()};
    if (!presets) {
        panel->setStatus(presets.error().message, true);
    } else {
        m_presets = *presets;
        for (const EvalCommandPreset &preset : m_presets) {
            if (preset.name != names.first())
                names.append(preset.name);
        }
    }
    panel->setCommandNames(names);
    refreshCacheSize();
}

EvalController::~EvalController() = default;

void EvalController::setCache(const EvalCache &cache)
{
    m_cache = cache;
    refreshCacheSize();
}

void EvalController::attach(SshClient *client, const QString &remoteRoot, const QString &host)
{
    detach();
    m_client = client;
    m_root = remoteRoot;
    m_host = host;
    showCommandFields(m_view->launchPanel()->options().command);   // this host's values
    m_launcher = new EvalLauncher(client, this);
    connect(m_launcher, &EvalLauncher::finished, this, &EvalController::onLaunched);
    m_stopper = new RunStopper(client, this);
    connect(m_stopper, &RunStopper::finished, this, &EvalController::onStopped);
    m_list = new EvalList(client, this);
    connect(m_list, &EvalList::finished, this, &EvalController::onListed);
    m_downloader = new EvalDownloader(client, this);
    connect(m_downloader, &EvalDownloader::planned, this, &EvalController::onPlanned);
    connect(m_downloader, &EvalDownloader::fileStarted, this, &EvalController::onFileStarted);
    connect(m_downloader, &EvalDownloader::fileArrived, this, &EvalController::onFileArrived);
    connect(m_downloader, &EvalDownloader::finished, this, &EvalController::onDownloaded);
    showCheckpoint(m_view->launchPanel()->selectedCheckpoint());
}

void EvalController::detach()
{
    m_follower.stop();
    for (QObject *object : std::initializer_list<QObject *>{m_launcher, m_stopper, m_list, m_downloader}) {
        if (object) {
            disconnect(object, nullptr, this, nullptr);
            object->deleteLater();
        }
    }
    if (m_launcher)
        m_launcher->cancel();
    if (m_list)
        m_list->cancel();
    if (m_downloader)
        m_downloader->cancel();
    m_launcher = nullptr;
    m_stopper = nullptr;
    m_list = nullptr;
    m_downloader = nullptr;
    m_client = nullptr;
    m_view->launchPanel()->setRunning(false);
}

void EvalController::setRun(const QString &run)
{
    if (run == m_run)
        return;
    m_run = run;
    showCheckpoint(m_view->launchPanel()->selectedCheckpoint());
}

QString EvalController::localFolder() const
{
    Result<QString> folder = m_cache.folder(m_host.isEmpty() ? QStringLiteral("local") : m_host, m_run, m_checkpoint);
    return folder ? *folder : QString();
}

bool EvalController::isEvalRunning() const
{
    return m_view->launchPanel()->isRunning();
}

bool EvalController::isDownloading() const
{
    return m_downloader && m_downloader->isRunning();
}

void EvalController::showCheckpoint(const QString &checkpoint, bool askServer)
{
    m_follower.stop();
    if (m_downloader)
        m_downloader->cancel();
    m_checkpoint = checkpoint;
    m_total = -1;
    m_videoRows.clear();
    m_view->launchPanel()->setRunning(false);
    m_view->launchPanel()->setStatus({}, false);
    if (m_run.isEmpty() || m_checkpoint.isEmpty()) {
        m_view->clearResults(m_run.isEmpty() ? tr("No run chosen") : tr("This run has no checkpoint yet"));
        return;
    }
    if (!loadLocalResults())
        m_view->clearResults(tr("No eval of %1 on this machine yet").arg(m_checkpoint));
    if (askServer)
        refreshFromServer();
}

void EvalController::refreshFromServer()
{
    if (m_list && !m_run.isEmpty() && !m_checkpoint.isEmpty())
        m_list->refresh(m_root, m_run, m_checkpoint);
}

void EvalController::onListed()
{
    if (m_list->error().code != ErrorCode::None) {
        // "no such run" for a run just listed elsewhere is not worth a red line.
        if (m_list->error().code != ErrorCode::ConnectionLost)
            m_view->launchPanel()->setStatus(m_list->error().message, true);
        return;
    }
    const QList<EvalInfo> &evals = m_list->evals();
    if (evals.isEmpty() || evals.first().checkpoint != m_checkpoint)
        return;   // never evaluated, or an answer for another checkpoint
    const EvalInfo &info = evals.first();
    EvalLaunchPanel *panel = m_view->launchPanel();
    switch (info.state) {
    case EvalState::Running:
        panel->setRunning(true);
        m_total = info.episodesTotal;
        panel->setProgress(info.episodesDone, info.episodesTotal, tr("running on the server"));
        follow();
        break;
    case EvalState::Done:
        panel->setStatus(tr("Eval of %1: %2 episodes").arg(m_checkpoint).arg(info.episodesDone), false);
        download();
        break;
    case EvalState::Stopped:
        panel->setStatus(tr("The eval of %1 was stopped after %2 episodes").arg(m_checkpoint).arg(info.episodesDone), false);
        download();
        break;
    case EvalState::Failed:
        panel->setStatus(tr("The eval of %1 failed: %2").arg(m_checkpoint, info.detail), true);
        break;
    }
}

void EvalController::launch(const EvalLaunchOptions &options)
{
    if (!m_launcher)
        return m_view->launchPanel()->setStatus(tr("Not connected to the server"), true);
    // Nothing of an earlier eval of this checkpoint may answer now: the launch replaces it.
    m_follower.stop();
    m_list->cancel();
    m_downloader->cancel();
    if (options.checkpoint != m_checkpoint)
        showCheckpoint(options.checkpoint, false);
    EvalLaunchRequest request;
    request.remoteRoot = m_root;
    request.runName = m_run;
    request.options = options;
    request.trainer = m_trainer;
    if (!options.command.isEmpty()) {
        Result<EvalCommandPreset> preset = EvalCommandPresets::find(m_presets, options.command);
        Result<void> known = preset ? preset->checkUserValues(options.fieldValues) : Result<void>(preset.error());
        Result<QByteArray> line = known ? EvalCommandLine::forPreset(*preset, m_root, m_run, options, m_trainer,
                                                                     options.fieldValues)
                                        : Result<QByteArray>(known.error());
        if (!line)
            return m_view->launchPanel()->setStatus(line.error().message, true);
        EvalFieldMemory::remember(m_host, preset->name, options.fieldValues);
        request.shellLine = *line;
        request.record = EvalCommandRecord::forPreset(*preset, options.fieldValues).toJson();
        request.waitForStartEvent = preset->results == EvalResultsFormat::Trainer;
    }
    m_view->launchPanel()->setRunning(true);
    m_view->launchPanel()->setStatus(tr("Starting the eval of %1…").arg(options.checkpoint), false);
    m_launcher->start(request);
}

void EvalController::onLaunched()
{
    if (m_launcher->error().code != ErrorCode::None) {
        ended(m_launcher->error().message);
        m_view->launchPanel()->setStatus(m_launcher->error().message, true);
        return;
    }
    m_view->launchPanel()->setStatus(tr("Eval of %1 running (pid %2)").arg(m_checkpoint).arg(m_launcher->outcome().pid), false);
    follow();
}

void EvalController::follow()
{
    if (m_client && !m_follower.isFollowing())
        m_follower.start(m_client, m_root, m_run, m_checkpoint);
}

void EvalController::cancel()
{
    if (m_launcher && m_launcher->isRunning())
        m_launcher->cancel();   // the launch's wait; the eval, if it started, is stopped below
    if (m_stopper) {
        m_view->launchPanel()->setStatus(tr("Stopping the eval of %1…").arg(m_checkpoint), false);
        m_stopper->stopEval(m_root, m_run, m_checkpoint);
    }
}

void EvalController::onStopped()
{
    if (m_stopper->error().code != ErrorCode::None)
        return m_view->launchPanel()->setStatus(m_stopper->error().message, true);
    if (!m_stopper->outcome().wasRunning) {
        ended(tr("stopped"));
        m_view->launchPanel()->setStatus(tr("The eval of %1 is not running").arg(m_checkpoint), false);
    }
    // Otherwise the follower reports the stop.
}

void EvalController::ended(const QString &error)
{
    m_follower.stop();
    m_view->launchPanel()->setRunning(false);
    Q_EMIT evalEnded(m_checkpoint, error);
}

// The trainer's results.json, or what a server's own eval script wrote (LocalEvalResults).
bool EvalController::loadLocalResults()
{
    const QString folder = localFolder();
    if (folder.isEmpty())
        return false;
    Result<std::optional<EvalResults>> loaded = LocalEvalResults::load(folder, m_checkpoint);
    if (!loaded) {
        m_view->clearResults(loaded.error().message);
        return false;
    }
    if (!*loaded)
        return false;
    const EvalResults &results = **loaded;
    m_resultsAreTrainers = results.command.isEmpty() || results.command == EvalCommandPresets::trainerPresetName();
    m_view->setResults(results, folder);
    m_videoRows.clear();
    for (int row = 0; row < int(results.episodes.size()); ++row) {
        if (!results.episodes[size_t(row)].video.isEmpty())
            m_videoRows.insert(results.episodes[size_t(row)].video, row);
    }
    return true;
}

void EvalController::showCommandFields(const QString &presetName)
{
    EvalLaunchPanel *panel = m_view->launchPanel();
    Result<EvalCommandPreset> preset = presetName.isEmpty() ? Result<EvalCommandPreset>(Error())
                                                            : EvalCommandPresets::find(m_presets, presetName);
    if (!preset) {
        panel->setOptionsUsed(true, true, true, true);   // the trainer's eval reads them all
        return panel->setCommandFields({}, {}, {});
    }
    const QStringList used = EvalCommandTemplate::fieldsIn(preset->command);
    // A preset's line takes no episode list and records video if it says so itself.
    panel->setOptionsUsed(false, used.contains(QStringLiteral("exec_horizon")), used.contains(QStringLiteral("weights")), false);
    // Only values the preset still has: a field renamed in the presets file is forgotten.
    EvalCommandValues remembered = EvalFieldMemory::values(m_host, preset->name);
    const QStringList names = preset->userFields();
    for (auto it = remembered.begin(); it != remembered.end();)
        it = names.contains(it->first) ? std::next(it) : remembered.erase(it);
    panel->setCommandFields(names, preset->fields, remembered);
}

void EvalController::download()
{
    if (!m_downloader || m_downloader->isRunning() || m_checkpoint.isEmpty())
        return;
    const QString folder = localFolder();
    if (folder.isEmpty())
        return m_view->launchPanel()->setStatus(tr("No local cache folder for %1").arg(m_checkpoint), true);
    m_downloader->start(m_root, m_run, m_checkpoint, folder);
}

void EvalController::onPlanned()
{
    for (const PlannedTransfer &transfer : m_downloader->plan().transfers()) {
        if (m_videoRows.contains(transfer.relativePath))
            m_view->setVideoState(m_videoRows.value(transfer.relativePath), EvalVideoState::OnServer);
    }
}

void EvalController::onFileStarted(const QString &path)
{
    if (m_videoRows.contains(path))
        m_view->setVideoState(m_videoRows.value(path), EvalVideoState::Downloading);
}

void EvalController::onFileArrived(const QString &path)
{
    // A results file or the eval's record: the table is read again from what is here now.
    if (path == QLatin1String("results.json") || path == QLatin1String(EvalCommandRecord::kFileName)
        || path == QLatin1String(LocalEvalResults::kLiberoResultsFile)) {
        // The table is the new results'; videos not yet here stay "on server".
        loadLocalResults();
        for (const PlannedTransfer &transfer : m_downloader->plan().transfers()) {
            if (m_videoRows.contains(transfer.relativePath))
                m_view->setVideoState(m_videoRows.value(transfer.relativePath), EvalVideoState::OnServer);
        }
        return;
    }
    if (m_videoRows.contains(path))
        m_view->setVideoState(m_videoRows.value(path), EvalVideoState::Here);
}

void EvalController::onDownloaded()
{
    const Error error = m_downloader->error();
    if (error.code != ErrorCode::None) {
        m_view->launchPanel()->setStatus(tr("Fetching the eval of %1: %2").arg(m_checkpoint, error.message), true);
    } else {
        // A server script's results may name videos only once they are here (OpenVLA's).
        if (m_videoRows.isEmpty() || !m_resultsAreTrainers)
            loadLocalResults();
        m_view->refreshLocalVideos();
        m_view->launchPanel()->setStatus(tr("Eval of %1 here: %2 files fetched, %3 unchanged")
                                             .arg(m_checkpoint).arg(m_downloader->filesMoved())
                                             .arg(m_downloader->plan().unchangedCount()), false);
    }
    refreshCacheSize();
    Q_EMIT downloadFinished(m_checkpoint, error);
}

void EvalController::refreshCacheSize()
{
    m_view->setCacheSize(m_cache.sizeBytes());
}

} // namespace rdt
