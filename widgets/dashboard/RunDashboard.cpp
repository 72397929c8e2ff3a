// Composition of the dashboard and the per-run state behind it.
#include "RunDashboard.h"

#include "CheckpointPanel.h"
#include "CheckpointTableModel.h"
#include "DashboardExportButton.h"
#include "EvalLaunchPanel.h"
#include "EvalView.h"
#include "GpuPanel.h"
#include "KnownFailures.h"
#include "LogPanel.h"
#include "PlotLegend.h"
#include "RunHeader.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "RunNotices.h"
#include "RunPlot.h"
#include "RunPlotControls.h"
#include "RunSeries.h"

#include <QLabel>
#include <QBoxLayout>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <deque>

namespace rdt {

namespace {

// Tableau's ten colours: distinct on white and for common colour blindness.
const QColor kRunColours[] = {
    QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
    QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
    QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf),
};

// The data-wait check looks at this many recent steps: enough to ignore one slow batch.
constexpr int kDataWaitWindow = 20;

QWidget *section(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    auto *label = new QLabel(title.toUpper(), box);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 0.85);
    font.setLetterSpacing(QFont::PercentageSpacing, 108);
    label->setFont(font);
    label->setStyleSheet(QStringLiteral("color: #6b7280;"));
    layout->addWidget(label);
    layout->addWidget(content, 1);
    return box;
}

} // namespace

struct RunDashboard::RunData {
    RunSeries series;
    RunRow row;
    QColor colour;
    std::vector<CheckpointRow> checkpoints;
    std::deque<QString> log;
};

RunDashboard::RunDashboard(QWidget *parent) : QWidget(parent)
{
    m_header = new RunHeader(this);
    m_header->setObjectName(QStringLiteral("runHeader"));
    m_header->setStyleSheet(QStringLiteral("#runHeader { border-bottom: 1px solid #e5e7eb; }"));
    m_plot = new RunPlot(this);
    m_plotControls = new RunPlotControls(m_plot, this);
    // First in the bar: the bar scrolls sideways on a narrow window, and Export stays in view.
    m_export = new DashboardExportButton(this, m_plotControls);
    static_cast<QBoxLayout *>(m_plotControls->layout())->insertWidget(0, m_export);
    m_runList = new RunListPanel(this);
    m_checkpoints = new CheckpointPanel(this);
    m_log = new LogPanel(this);
    m_gpus = new GpuPanel(this);
    m_legend = new PlotLegend(this);

    auto *plotColumn = new QWidget(this);
    auto *plotLayout = new QVBoxLayout(plotColumn);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    plotLayout->setSpacing(0);
    // The controls scroll sideways on a narrow window instead of setting its minimum width
    // (a 1280-pixel laptop screen has room for them beside the side panel only just).
    auto *controlsScroll = new QScrollArea(plotColumn);
    controlsScroll->setWidget(m_plotControls);
    controlsScroll->setWidgetResizable(true);
    controlsScroll->setFrameShape(QFrame::NoFrame);
    controlsScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    controlsScroll->setFixedHeight(m_plotControls->sizeHint().height()
                                   + controlsScroll->horizontalScrollBar()->sizeHint().height());
    plotLayout->addWidget(controlsScroll);
    plotLayout->addWidget(m_legend);
    plotLayout->addWidget(m_plot, 1);

    auto *centre = new QSplitter(Qt::Vertical, this);
    centre->addWidget(plotColumn);
    centre->addWidget(section(tr("Log"), m_log, centre));
    centre->setStretchFactor(0, 3);
    centre->setStretchFactor(1, 1);

    auto *gpuScroll = new QScrollArea(this);
    gpuScroll->setWidget(m_gpus);
    gpuScroll->setWidgetResizable(true);
    gpuScroll->setFrameShape(QFrame::NoFrame);
    auto *side = new QSplitter(Qt::Vertical, this);
    side->addWidget(section(tr("Runs"), m_runList, side));
    side->addWidget(section(tr("Checkpoints"), m_checkpoints, side));
    side->addWidget(section(tr("GPUs"), gpuScroll, side));
    // Room for several runs, a few checkpoints and a GPU card; the rest scrolls. The run list grows first when the window does.
    side->setSizes({300, 260, 260});
    side->setStretchFactor(0, 2);
    side->setStretchFactor(1, 1);
    side->setStretchFactor(2, 1);

    // Training (plot and log) and Eval (launch, results, player) share the centre; the run
    // list and its checkpoints stay beside both.
    m_eval = new EvalView(this);
    m_eval->launchPanel()->setCheckpointModel(m_checkpoints->model());
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(centre, tr("Training"));
    // The Eval tab scrolls on a narrow window instead of setting the window's minimum width
    // (its panels want about 990 pixels, more than a 1280-pixel screen leaves beside the run list).
    auto *evalScroll = new QScrollArea(this);
    evalScroll->setWidget(m_eval);
    evalScroll->setWidgetResizable(true);
    evalScroll->setFrameShape(QFrame::NoFrame);
    m_tabs->addTab(evalScroll, tr("Eval"));

    auto *main = new QSplitter(Qt::Horizontal, this);
    main->addWidget(side);
    main->addWidget(m_tabs);
    main->setStretchFactor(0, 0);
    main->setStretchFactor(1, 1);
    main->setSizes({480, 1120});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_header);
    m_notices = new RunNotices(this);
    layout->addWidget(m_notices);
    layout->addWidget(main, 1);

    connect(m_runList, &RunListPanel::startRequested, this, &RunDashboard::startRequested);
    connect(m_runList, &RunListPanel::stopRequested, this, &RunDashboard::stopRequested);
    connect(m_runList, &RunListPanel::resumeRequested, this, &RunDashboard::resumeRequested);
    connect(m_runList, &RunListPanel::openLogRequested, this, &RunDashboard::openLogRequested);
    connect(m_runList, &RunListPanel::selectedRunChanged, this, &RunDashboard::setCurrentRun);
    connect(m_runList->model(), &RunListModel::overlayToggled, this, [this](const QString &run, bool overlaid) {
        refreshPlotVisibility(run);
        emit overlayChanged(run, overlaid);
    });
    connect(m_checkpoints, &CheckpointPanel::downloadRequested, this,
            [this](const CheckpointRow &checkpoint) { emit downloadCheckpointRequested(m_currentRun, checkpoint); });
}

RunDashboard::~RunDashboard()
{
    // The plot reads the series: it goes before them.
    delete m_plot;
    m_plot = nullptr;
}

RunDashboard::RunData &RunDashboard::data(const QString &run)
{
    std::unique_ptr<RunData> &slot = m_runs[run];
    if (!slot) {
        slot = std::make_unique<RunData>();
        slot->row.name = run;
        slot->colour = kRunColours[m_coloursUsed++ % std::size(kRunColours)];
        m_plot->addRun(run, &slot->series, slot->colour);
        if (m_runList->model()->rowOf(run) < 0)
            m_runList->model()->updateRun(slot->row);
        m_runList->model()->setColour(run, slot->colour);
        refreshPlotVisibility(run);
    }
    return *slot;
}

const RunSeries *RunDashboard::series(const QString &run) const
{
    const auto found = m_runs.find(run);
    return found == m_runs.end() ? nullptr : &found->second->series;
}

void RunDashboard::setRuns(const QList<RunRow> &runs)
{
    const QString current = m_currentRun;
    m_runList->model()->setRuns(runs);
    for (const RunRow &row : runs) {
        RunData &run = data(row.name);
        run.row = row;
        m_runList->model()->setColour(row.name, run.colour);
    }
    if (!current.isEmpty())
        m_runList->selectRun(current);
    refreshHeader();
}

void RunDashboard::updateRun(const RunRow &row)
{
    RunData &run = data(row.name);
    run.row = row;
    // The metrics may be ahead of the list's last look at the folder.
    if (!run.series.isEmpty()) {
        run.row.step = std::max(run.row.step, run.series.lastStep());
        run.row.lastLoss = run.series.losses().back();
    }
    m_runList->model()->updateRun(run.row);
    if (row.name == m_currentRun)
        refreshHeader();
}

void RunDashboard::appendMetrics(const QString &name, const QList<MetricPoint> &points)
{
    if (points.isEmpty())
        return;
    RunData &run = data(name);
    for (const MetricPoint &point : points)
        run.series.append(point);
    m_plot->updateRun(name);
    run.row.step = run.series.lastStep();
    run.row.lastLoss = run.series.losses().back();
    m_runList->model()->updateRun(run.row);
    if (name == m_currentRun) {
        refreshHeader();
        checkDataWait(name);
    }
}

void RunDashboard::addSample(const QString &name, const SampleEvent &sample)
{
    RunData &run = data(name);
    run.series.addSample(sample);
    m_plot->updateRun(name);
    if (name == m_currentRun)
        m_checkpoints->model()->setSamples(run.series.samples());
}

void RunDashboard::setCheckpoints(const QString &name, const std::vector<CheckpointRow> &checkpoints)
{
    RunData &run = data(name);
    run.checkpoints = checkpoints;
    std::sort(run.checkpoints.begin(), run.checkpoints.end(),
              [](const CheckpointRow &a, const CheckpointRow &b) { return a.step < b.step; });
    std::vector<RunSeries::Checkpoint> marks;
    for (const CheckpointRow &checkpoint : run.checkpoints)
        marks.push_back({checkpoint.step, checkpoint.time.isValid() ? double(checkpoint.time.toMSecsSinceEpoch()) / 1000.0 : 0.0});
    run.series.setCheckpoints(std::move(marks));
    m_plot->updateRun(name);
    if (name == m_currentRun) {
        m_checkpoints->model()->setCheckpoints(run.checkpoints);
        refreshHeader();
    }
}

void RunDashboard::clearRunData(const QString &name)
{
    RunData &run = data(name);
    run.series.clear();
    run.checkpoints.clear();
    run.log.clear();
    m_plot->updateRun(name);
    if (name == m_currentRun) {
        m_checkpoints->model()->clear();
        m_log->clear();
        refreshHeader();
    }
}

QStringList RunDashboard::logLines(const QString &run) const
{
    const auto it = m_runs.find(run);
    if (it == m_runs.end())
        return {};
    return QStringList(it->second->log.begin(), it->second->log.end());
}

void RunDashboard::appendLog(const QString &name, const QStringList &lines)
{
    RunData &run = data(name);
    for (const QString &line : lines)
        run.log.push_back(line);
    while (run.log.size() > size_t(kLogLinesPerRun))
        run.log.pop_front();
    if (name == m_currentRun)
        m_log->appendLines(lines);
}

void RunDashboard::setGpuSamples(const QList<GpuSample> &samples)
{
    m_gpus->addSamples(samples);
}

void RunDashboard::setGpuUnavailable(const QString &message)
{
    m_gpus->setUnavailable(message);
}

void RunDashboard::setCurrentRun(const QString &name)
{
    if (name == m_currentRun)
        return;
    const QString previous = m_currentRun;
    m_currentRun = name;
    if (!previous.isEmpty() && m_runs.count(previous))
        refreshPlotVisibility(previous);
    m_plot->setHighlightedRun(name);
    m_notices->setCurrentRun(name);
    m_log->clear();
    m_checkpoints->model()->clear();
    if (!name.isEmpty()) {
        RunData &run = data(name);
        refreshPlotVisibility(name);
        m_log->appendLines(QStringList(run.log.begin(), run.log.end()));
        showCheckpointsOf(name);
        checkDataWait(name);
        if (m_runList->selectedRun() != name)
            m_runList->selectRun(name);
    }
    refreshHeader();
    emit currentRunChanged(name);
}

void RunDashboard::setOverlay(const QString &run, bool overlaid)
{
    data(run);
    m_runList->model()->setOverlay(run, overlaid);
}

void RunDashboard::showCheckpointsOf(const QString &name)
{
    const RunData &run = data(name);
    CheckpointTableModel *model = m_checkpoints->model();
    model->setSamples(run.series.samples());
    model->setCheckpoints(run.checkpoints);
}

void RunDashboard::refreshPlotVisibility(const QString &run)
{
    // The current run is always plotted; others when their overlay box is checked.
    m_plot->setRunVisible(run, run == m_currentRun || m_runList->model()->isOverlaid(run));
    QList<PlotLegend::Entry> legend;
    if (const auto current = m_runs.find(m_currentRun); current != m_runs.end())
        legend.append({m_currentRun, current->second->colour, true});
    for (const auto &[name, data] : m_runs)
        if (name != m_currentRun && m_runList->model()->isOverlaid(name))
            legend.append({name, data->colour, false});
    m_legend->setEntries(legend);
}

void RunDashboard::refreshHeader()
{
    const auto found = m_runs.find(m_currentRun);
    if (m_currentRun.isEmpty() || found == m_runs.end()) {
        m_header->clear();
        return;
    }
    m_header->setRun(found->second->row, &found->second->series);
}

void RunDashboard::checkDataWait(const QString &name)
{
    const RunSeries &series = data(name).series;
    const int size = series.size();
    if (size <= kDataWaitWindow)
        return;
    const size_t first = size_t(size - kDataWaitWindow - 1);
    const size_t last = size_t(size - 1);
    const double steps = series.steps()[last] - series.steps()[first];
    const double seconds = series.wallTimes()[last] - series.wallTimes()[first];
    double wait = 0;
    int counted = 0;
    for (size_t i = first + 1; i <= last; ++i) {
        if (std::isfinite(series.dataWaitSeconds()[i])) {
            wait += series.dataWaitSeconds()[i];
            ++counted;
        }
    }
    if (counted == 0 || steps <= 0)
        return;
    if (auto stall = KnownFailures::recogniseDataWait(wait / counted, seconds / steps))
        m_log->addFailure(*stall);
}

} // namespace rdt
