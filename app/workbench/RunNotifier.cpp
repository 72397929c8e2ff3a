// The run list model is the one source of run states: whatever feeds it (the server's
// listing, the follower's done and error events) is what gets announced.
#include "RunNotifier.h"

#include "DashboardController.h"
#include "DataModelPage.h"
#include "DesktopNotifier.h"
#include "EvalController.h"
#include "KnownFailures.h"
#include "MainWindow.h"
#include "RunDashboard.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "SetupWizard.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QSystemTrayIcon>
#include <QWidget>

namespace rdt {

RunNotifier::RunNotifier(RunDashboard *dashboard, DesktopNotifier *notifier, QWidget *window, QObject *parent)
    : QObject(parent), m_dashboard(dashboard), m_notifier(notifier), m_window(window)
{
    RunListModel *model = dashboard->runList()->model();
    connect(model, &QAbstractItemModel::modelReset, this, &RunNotifier::scanRuns);
    connect(model, &QAbstractItemModel::rowsInserted, this, &RunNotifier::scanRuns);
    connect(model, &QAbstractItemModel::dataChanged, this, &RunNotifier::scanRuns);
    m_stallTimer.setInterval(15 * 1000);
    connect(&m_stallTimer, &QTimer::timeout, this, &RunNotifier::checkStalls);
    m_stallTimer.start();

    m_toggle = new QAction(tr("Desktop notifications"), this);
    m_toggle->setCheckable(true);
    m_toggle->setChecked(DesktopNotifier::enabledSetting());
    m_toggle->setToolTip(tr("Tell the desktop when a run or an eval ends, fails or stalls"));
    connect(m_toggle, &QAction::toggled, this, [](bool on) { DesktopNotifier::setEnabledSetting(on); });
    scanRuns();
}

RunNotifier *RunNotifier::install(MainWindow *window, DashboardController *dashboard)
{
    auto *notifier = new DesktopNotifier(window);
    notifier->setTrayIcon(new QSystemTrayIcon(window->windowIcon(), window));
    auto *runs = new RunNotifier(window->runDashboard(), notifier, window, window);
    runs->watchEvals(dashboard->evals());
    runs->watchUploads(window->setupWizard()->dataModelPage());
    window->menuBar()->addMenu(tr("&Settings"))->addAction(runs->toggleAction());
    return runs;
}

void RunNotifier::watchEvals(EvalController *evals)
{
    connect(evals, &EvalController::evalEnded, this, [this, evals](const QString &checkpoint, const QString &error) {
        const QString what = tr("Eval of %1 %2").arg(evals->run(), checkpoint);
        if (error.isEmpty())
            m_notifier->notify(tr("%1 finished").arg(what), tr("Its results and videos are in the Eval tab."));
        else if (error == tr("stopped"))
            return;   // the user stopped it
        else
            m_notifier->notify(tr("%1 failed").arg(what), error, DesktopNotifier::Urgency::Critical);
    });
}

void RunNotifier::watchUploads(DataModelPage *page)
{
    connect(page, &DataModelPage::uploadStarted, this, [this] { m_upload.start(); });
    connect(page, &DataModelPage::uploadFinished, this, [this](bool ok) {
        if (!m_upload.isValid())
            return;   // nothing was sent ("Nothing to upload")
        const qint64 elapsed = m_upload.elapsed();
        m_upload.invalidate();
        uploadEnded(tr("the dataset and the model"), elapsed,
                    ok ? QString() : tr("it failed or was cancelled; Upload again resumes where it stopped"));
    });
}

void RunNotifier::setStallSeconds(int seconds)
{
    m_stallMs = qint64(seconds) * 1000;
}

void RunNotifier::scanRuns()
{
    RunListModel *model = m_dashboard->runList()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const RunRow &run = model->run(row);
        auto it = m_runs.find(run.name);
        if (it == m_runs.end()) {
            Watched watched;
            watched.state = run.state;
            watched.step = run.step;
            watched.sinceStep.start();
            m_runs.insert(run.name, watched);
            continue;
        }
        Watched &watched = it.value();
        if (run.step != watched.step) {
            watched.step = run.step;
            watched.sinceStep.restart();
            watched.stallNotified = false;
        }
        const RunRowState before = std::exchange(watched.state, run.state);
        if (before == RunRowState::Running && run.state != RunRowState::Running) {
            announceEnd(run);
        } else if (before != RunRowState::Running && run.state == RunRowState::Running) {
            watched.sinceStep.restart();   // resumed: the stall clock starts again
            watched.stallNotified = false;
        }
    }
}

void RunNotifier::checkStalls()
{
    for (auto it = m_runs.begin(); it != m_runs.end(); ++it) {
        Watched &watched = it.value();
        if (watched.state != RunRowState::Running || watched.stallNotified || watched.sinceStep.elapsed() < m_stallMs)
            continue;
        watched.stallNotified = true;
        const qint64 minutes = watched.sinceStep.elapsed() / 60000;
        m_notifier->notify(tr("Run %1 stopped making progress").arg(it.key()),
                           tr("No new step for %1 (still at step %2). Look at its log and its GPUs.")
                               .arg(minutes >= 1 ? tr("%n minute(s)", nullptr, int(minutes))
                                                 : tr("%n second(s)", nullptr, int(watched.sinceStep.elapsed() / 1000)))
                               .arg(watched.step),
                           DesktopNotifier::Urgency::Critical);
    }
}

void RunNotifier::announceEnd(const RunRow &row)
{
    switch (row.state) {
    case RunRowState::Finished:
        m_notifier->notify(tr("Run %1 finished").arg(row.name),
                           tr("%1 steps; last loss %2.").arg(row.step).arg(row.lastLoss, 0, 'g', 4));
        break;
    case RunRowState::Failed: {
        const QString explanation = failureExplanation(row.name);
        m_notifier->notify(tr("Run %1 failed at step %2").arg(row.name).arg(row.step),
                           explanation.isEmpty() ? tr("No known failure in its log; open the log to see why.") : explanation,
                           DesktopNotifier::Urgency::Critical);
        break;
    }
    case RunRowState::Stopped:   // the user stopped it: nothing to tell
    case RunRowState::Running:
    case RunRowState::Unknown:
        break;
    }
}

QString RunNotifier::failureExplanation(const QString &run) const
{
    // The last recognised failure is the one the run died of.
    const QList<KnownFailure> failures = KnownFailures::recogniseAll(m_dashboard->logLines(run));
    if (failures.isEmpty())
        return {};
    const KnownFailure &failure = failures.last();
    return failure.title + QStringLiteral(": ") + failure.explanation;
}

void RunNotifier::uploadEnded(const QString &what, qint64 elapsedMs, const QString &error)
{
    if (elapsedMs < m_longUploadMs || !m_window || !m_window->isMinimized())
        return;
    if (error.isEmpty())
        m_notifier->notify(tr("Upload finished"), tr("Uploaded and verified: %1.").arg(what));
    else
        m_notifier->notify(tr("Upload failed"), tr("%1: %2").arg(what, error), DesktopNotifier::Urgency::Critical);
}

} // namespace rdt
