// The run dashboard (issue 6): the run list, the header of the current run, the live
// plot with its controls, the log with recognised failures, the checkpoints, the GPUs, and
// the Eval tab (EvalView) beside the plot.
// It holds what it is fed (per run: metrics, samples, checkpoints, the log's tail) and
// emits the user's intents; it never talks to the server itself. The app connects the
// back end's follower, run list and GPU monitor to the slots, and the signals to the
// launcher and the sync code.
#pragma once

#include "CheckpointRow.h"
#include "GpuSample.h"
#include "MetricPoint.h"
#include "RunRow.h"

#include <QWidget>

class QTabWidget;

#include <map>
#include <memory>

namespace rdt {

class CheckpointPanel;
class DashboardExportButton;
class EvalView;
class GpuPanel;
class LogPanel;
class PlotLegend;
class RunHeader;
class RunListPanel;
class RunNotices;
class RunPlot;
class RunPlotControls;
class RunSeries;

class RunDashboard : public QWidget {
    Q_OBJECT
public:
    // Lines of each run's log kept for switching between runs (the view keeps as many).
    static constexpr int kLogLinesPerRun = 20000;

    explicit RunDashboard(QWidget *parent = nullptr);
    ~RunDashboard() override;

    QString currentRun() const { return m_currentRun; }
    const RunSeries *series(const QString &run) const;
    // The lines of the run's train.log fed so far (the last kLogLinesPerRun).
    QStringList logLines(const QString &run) const;

    RunPlot *plot() const { return m_plot; }
    RunPlotControls *plotControls() const { return m_plotControls; }
    RunHeader *header() const { return m_header; }
    RunListPanel *runList() const { return m_runList; }
    CheckpointPanel *checkpoints() const { return m_checkpoints; }
    LogPanel *logPanel() const { return m_log; }
    PlotLegend *legend() const { return m_legend; }
    GpuPanel *gpuPanel() const { return m_gpus; }
    EvalView *evalView() const { return m_eval; }   // the Eval tab
    QTabWidget *tabs() const { return m_tabs; }     // Training, Eval
    RunNotices *notices() const { return m_notices; }
    DashboardExportButton *exportButton() const { return m_export; }   // first in the plot controls

public slots:
    // The runs found under the remote root (replaces the list; data already fed is kept).
    void setRuns(const QList<rdt::RunRow> &runs);
    // One run's row changed (state, max steps, ...); a new name is appended.
    void updateRun(const rdt::RunRow &run);
    // Step lines of metrics.jsonl, in file order; a backfill may pass the whole file at once.
    void appendMetrics(const QString &run, const QList<rdt::MetricPoint> &points);
    void addSample(const QString &run, const rdt::SampleEvent &sample);
    // Replaces the run's checkpoints with a listing of the server's: with
    // --checkpoints_total_limit the oldest are deleted there, and must go here too.
    void setCheckpoints(const QString &run, const std::vector<rdt::CheckpointRow> &checkpoints);
    // Forgets a run's metrics, samples, checkpoints and log (before a fresh backfill).
    void clearRunData(const QString &run);
    // New lines of a run's train.log.
    void appendLog(const QString &run, const QStringList &lines);
    void setGpuSamples(const QList<rdt::GpuSample> &samples);
    void setGpuUnavailable(const QString &message);
    // Shows this run in the header, the log and the checkpoints, and always in the plot.
    void setCurrentRun(const QString &run);
    // Overlays (or not) a run in the plot, as its checkbox in the run list does.
    void setOverlay(const QString &run, bool overlaid);

signals:
    void startRequested();
    void stopRequested(const QString &run);
    void resumeRequested(const QString &run);
    void openLogRequested(const QString &run);
    void downloadCheckpointRequested(const QString &run, const rdt::CheckpointRow &checkpoint);
    void currentRunChanged(const QString &run);
    void overlayChanged(const QString &run, bool overlaid);

private:
    struct RunData;
    RunData &data(const QString &run);
    void refreshHeader();
    void refreshPlotVisibility(const QString &run);
    void checkDataWait(const QString &run);
    void showCheckpointsOf(const QString &run);

    std::map<QString, std::unique_ptr<RunData>> m_runs;
    QString m_currentRun;
    int m_coloursUsed = 0;

    RunHeader *m_header;
    RunPlot *m_plot;
    RunPlotControls *m_plotControls;
    RunListPanel *m_runList;
    CheckpointPanel *m_checkpoints;
    LogPanel *m_log;
    GpuPanel *m_gpus;
    PlotLegend *m_legend;
    EvalView *m_eval;
    QTabWidget *m_tabs;
    RunNotices *m_notices;
    DashboardExportButton *m_export;
};

} // namespace rdt
