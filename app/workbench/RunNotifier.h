// Decides when the workbench notifies the desktop: a run it watched running finishes or
// fails (with the recognised failure's one-line explanation from its log, KnownFailures),
// a running run stops making progress (no new step for the stall time), an eval ends or
// fails, and a long upload ends while the window is minimised. It reads the run list the
// dashboard shows; runs already over when first seen are not announced.
#pragma once

#include "RunRow.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QAction;
class QWidget;

namespace rdt {

class DashboardController;
class DataModelPage;
class DesktopNotifier;
class EvalController;
class MainWindow;
class RunDashboard;

class RunNotifier : public QObject {
    Q_OBJECT
public:
    // A step every few seconds is normal; ten minutes without one is not, even for RDT-1B
    // with gradient accumulation, while a checkpoint write of 2.3 GB takes about a minute.
    static constexpr int kDefaultStallSeconds = 10 * 60;
    // Uploads shorter than this end while the user still watches.
    static constexpr int kLongUploadSeconds = 60;

    // `dashboard` and `notifier` outlive this; `window` is what "minimised" is asked of.
    RunNotifier(RunDashboard *dashboard, DesktopNotifier *notifier, QWidget *window, QObject *parent = nullptr);

    // The window's notifications: the session bus, the tray as the fallback, run and eval
    // ends, and the Settings menu's item to turn them off.
    static RunNotifier *install(MainWindow *window, DashboardController *dashboard);

    void watchEvals(EvalController *evals);
    // The setup wizard's dataset and model upload.
    void watchUploads(DataModelPage *page);
    void setStallSeconds(int seconds);
    void setCheckIntervalMs(int ms) { m_stallTimer.setInterval(ms); }
    void setLongUploadSeconds(int seconds) { m_longUploadMs = qint64(seconds) * 1000; }

    // The Settings menu's checkable "Desktop notifications" item, kept in step with the setting.
    QAction *toggleAction() const { return m_toggle; }

public slots:
    // An upload ended (error empty: done); notified only when it was long and the window is minimised.
    void uploadEnded(const QString &what, qint64 elapsedMs, const QString &error);

private:
    struct Watched {
        RunRowState state = RunRowState::Unknown;
        qint64 step = -1;
        QElapsedTimer sinceStep;   // since the step last advanced
        bool stallNotified = false;
    };

    void scanRuns();
    void checkStalls();
    void announceEnd(const RunRow &row);
    QString failureExplanation(const QString &run) const;

    RunDashboard *m_dashboard;
    DesktopNotifier *m_notifier;
    QPointer<QWidget> m_window;
    QHash<QString, Watched> m_runs;
    QTimer m_stallTimer;
    qint64 m_longUploadMs = qint64(kLongUploadSeconds) * 1000;
    QElapsedTimer m_upload;   // since the wizard's upload started
    qint64 m_stallMs = qint64(kDefaultStallSeconds) * 1000;
    QAction *m_toggle;
};

} // namespace rdt
