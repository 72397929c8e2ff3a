// The run dashboard fed like the back end will feed it: two runs (one running at step
// 20,000 of 30,000, one finished and overlaid), sample and checkpoint events, a train.log
// with real trainer lines, two GPUs polled 30 times. Checks what the user would see: the
// debiased EMA against values worked out by hand, x axis modes, log scale, the tooltip
// text, the best checkpoint, recognised failures, the header; saves a screenshot.
#include "CheckpointPanel.h"
#include "CheckpointTableModel.h"
#include "DebiasedEma.h"
#include "GpuPanel.h"
#include "GraphDetail.h"
#include "LogPanel.h"
#include "RunDashboard.h"
#include "RunHeader.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "RunPlot.h"
#include "RunPlotControls.h"
#include "RunProgress.h"
#include "RunSeries.h"

#include <qcustomplot.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

#include <cmath>
#include <random>

using namespace rdt;

namespace {

const QString kRunA = QStringLiteral("libero10-rdt170m-bs32");
const QString kRunB = QStringLiteral("libero10-rdt170m-bs16");
constexpr double kStartA = 1795000000;   // 2026-11-18, seconds since the epoch
constexpr double kSecondsPerStep = 0.42;

bool saveScreenshot(QWidget *widget, const QString &name)
{
    QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
    const QString shot = QStringLiteral(RDT_SCREENSHOT_DIR "/") + name;
    const bool saved = widget->grab().save(shot);
    qInfo("screenshot: %s", qPrintable(shot));
    return saved;
}

// A diffusion loss: fast fall, slow tail, multiplicative noise; warm-up then cosine LR.
QList<MetricPoint> curve(int steps, int maxSteps, double start, double scale, unsigned seed)
{
    std::mt19937 random(seed);
    std::normal_distribution<double> noise(0.0, 1.0);
    QList<MetricPoint> points;
    double time = start;
    for (int step = 1; step <= steps; ++step) {
        time += kSecondsPerStep * (1 + 0.03 * noise(random));
        MetricPoint point;
        point.step = step;
        point.wallTime = time;
        point.loss = scale * (0.035 + 0.85 * std::exp(-step / 1800.0)) * std::exp(0.22 * noise(random));
        const double warm = std::min(1.0, step / 500.0);
        point.learningRate = 1e-4 * warm * 0.5 * (1 + std::cos(M_PI * double(step) / maxSteps));
        point.gradNorm = std::abs(0.35 + 1.2 * std::exp(-step / 2500.0) + 0.08 * noise(random));
        point.samplesPerSecond = 32 / kSecondsPerStep * (1 + 0.03 * noise(random));
        point.dataWaitSeconds = 0.01;
        points.append(point);
    }
    return points;
}

// TensorBoard's smoothing, written out here independently of DebiasedEma.
double handSmoothed(const QList<MetricPoint> &points, int index, double weight)
{
    double last = 0;
    for (int i = 0; i <= index; ++i)
        last = last * weight + (1 - weight) * points[i].loss;
    return last / (1 - std::pow(weight, index + 1));
}

double sampleMse(qint64 step)
{
    // Falls, then rises again past step 14,000 (overfitting): the best is not the last.
    const double x = double(step) / 1000.0;
    return 0.02 + 0.3 * std::exp(-x / 3.0) + 0.0004 * (x - 14) * (x - 14);
}

QDateTime at(double seconds)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(seconds * 1000), Qt::UTC);
}

} // namespace

class DashboardTest : public QObject {
    Q_OBJECT

private:
    QList<MetricPoint> m_curveA;
    QList<MetricPoint> m_curveB;

    void feed(RunDashboard &dashboard)
    {
        RunRow a{kRunA, RunRowState::Running, 0, 30000, qQNaN(), at(kStartA)};
        RunRow b{kRunB, RunRowState::Finished, 12000, 12000, qQNaN(), at(kStartA - 7200)};
        dashboard.setRuns({a, b});
        m_curveA = curve(20000, 30000, kStartA, 1.0, 7);
        m_curveB = curve(12000, 12000, kStartA - 7200, 1.25, 11);
        // Backfill in chunks, as the follower delivers a long file.
        for (int from = 0; from < m_curveA.size(); from += 4096)
            dashboard.appendMetrics(kRunA, m_curveA.mid(from, 4096));
        dashboard.appendMetrics(kRunB, m_curveB);
        for (const auto &[run, points] : {std::pair{kRunA, &m_curveA}, std::pair{kRunB, &m_curveB}}) {
            std::vector<CheckpointRow> checkpoints;
            for (const MetricPoint &point : *points) {
                if (point.step % 500 == 0)
                    dashboard.addSample(run, {point.step, point.wallTime, sampleMse(point.step)});
                if (point.step % 2000 == 0) {
                    checkpoints.push_back({point.step, at(point.wallTime), 1203741824 + point.step,
                                           QStringLiteral("checkpoint-%1").arg(point.step)});
                }
            }
            dashboard.setCheckpoints(run, checkpoints);   // as the server's listing delivers them
        }
        QStringList log = {QStringLiteral("dataset libero_10: 379 episodes, 101469 steps, 128x128 images"),
                           QStringLiteral("pretrained: loaded /data/models/rdt-170m/model.safetensors, 0 missing, "
                                          "0 unexpected keys"),
                           QStringLiteral("training 30000 steps from step 0 on cuda in bf16")};
        for (const MetricPoint &point : m_curveA.mid(m_curveA.size() - 300)) {
            log << QStringLiteral("step %1 loss %2 lr %3 grad_norm %4 samples/s %5")
                       .arg(point.step)
                       .arg(point.loss, 0, 'g', 6)
                       .arg(point.learningRate, 0, 'g', 6)
                       .arg(point.gradNorm, 0, 'g', 6)
                       .arg(point.samplesPerSecond, 0, 'g', 6);
            if (point.step % 100 == 0)
                log << QStringLiteral("saved checkpoint-%1").arg(point.step);
        }
        log << QStringLiteral("error: out of memory with --train_batch_size 32 on cuda: try a smaller "
                              "--train_batch_size, --gradient_checkpointing or --mixed_precision bf16 (CUDA out of "
                              "memory. Tried to allocate 2.00 GiB)");
        dashboard.appendLog(kRunA, log);
        for (int poll = 0; poll < 30; ++poll) {
            QList<GpuSample> gpus;
            for (int index = 0; index < 2; ++index) {
                GpuSample gpu;
                gpu.index = index;
                gpu.name = QStringLiteral("NVIDIA A800-SXM4-80GB");
                gpu.utilizationPercent = index == 0 ? 88 + (poll * 7) % 12 : (poll < 10 ? 0 : 35 + poll % 5);
                gpu.memoryUsedMiB = index == 0 ? 61000 + poll * 40 : 9000;
                gpu.memoryTotalMiB = 81920;
                gpu.temperatureCelsius = index == 0 ? 66 + poll % 4 : 41;
                gpus.append(gpu);
            }
            dashboard.setGpuSamples(gpus);
        }
        dashboard.setCurrentRun(kRunA);
        dashboard.setOverlay(kRunB, true);
    }

private slots:
    void debiasedEmaMatchesHandComputedValues()
    {
        // weight 0.6 over 1, 2, 3:
        //   last 0.4      / (1 - 0.6)   = 1
        //   last 1.04     / (1 - 0.36)  = 1.625
        //   last 1.824    / (1 - 0.216) = 2.326530612...
        const std::vector<double> smoothed = DebiasedEma::smooth({1, 2, 3}, 0.6);
        QCOMPARE(smoothed.size(), size_t(3));
        QVERIFY(qFuzzyCompare(smoothed[0], 1.0));
        QVERIFY(qFuzzyCompare(smoothed[1], 1.625));
        QVERIFY(qFuzzyCompare(smoothed[2], 1.824 / 0.784));
        // No smoothing is the raw curve; a NaN passes through and leaves the average alone.
        QCOMPARE(DebiasedEma::smooth({5, 7}, 0.0), (std::vector<double>{5, 7}));
        const std::vector<double> withNan = DebiasedEma::smooth({1, qQNaN(), 2}, 0.6);
        QVERIFY(std::isnan(withNan[1]));
        QVERIFY(qFuzzyCompare(withNan[2], 1.625));
    }

    void resumeDropsTheRewrittenTail()
    {
        RunSeries series;
        for (int step = 1; step <= 150; ++step)
            series.append(step, 1000 + step, 1.0 / step, 1e-4, 1, 40);
        series.addCheckpoint(100, 1100);
        series.addCheckpoint(150, 1150);
        RunPlot plot;
        plot.addRun(QStringLiteral("r"), &series, Qt::blue);
        QCOMPARE(plot.graphData(QStringLiteral("r"), PlotMetric::Loss)->size(), 150);
        // Resumed from checkpoint-100: the trainer logs step 101 again.
        series.append(101, 2000, 0.5, 1e-4, 1, 40);
        plot.updateRun(QStringLiteral("r"));
        QCOMPARE(series.size(), 101);
        QCOMPARE(series.checkpoints().size(), size_t(1));
        const QCPGraphDataContainer *loss = plot.graphData(QStringLiteral("r"), PlotMetric::Loss);
        QCOMPARE(loss->size(), 101);
        QCOMPARE((loss->constEnd() - 1)->key, 101.0);
        QCOMPARE((loss->constEnd() - 1)->value, 0.5);
    }

    void coarseDetailKeepsEachBucketsExtremes()
    {
        // 100 points appended in uneven chunks: 6 full buckets of 16, then 4 pending.
        std::mt19937 random(3);
        std::uniform_real_distribution<double> value(0, 1);
        QVector<QCPGraphData> points;
        for (int i = 0; i < 100; ++i)
            points.append({double(i), value(random)});
        GraphDetail detail;
        for (int from = 0; from < points.size(); from += 7)
            detail.append(points.mid(from, 7));
        QCOMPARE(detail.full()->size(), 100);
        QCOMPARE(detail.coarse()->size(), 6 * 2 + 4);
        for (int bucket = 0; bucket < 6; ++bucket) {
            const auto first = points.begin() + bucket * GraphDetail::kBucket;
            const auto [low, high] = std::minmax_element(first, first + GraphDetail::kBucket,
                [](const QCPGraphData &a, const QCPGraphData &b) { return a.value < b.value; });
            const auto kept = detail.coarse()->constBegin() + 2 * bucket;
            QCOMPARE(kept->key, std::min(low->key, high->key));
            QCOMPARE((kept + 1)->key, std::max(low->key, high->key));
        }
        QCOMPARE((detail.coarse()->constEnd() - 1)->key, 99.0);   // the newest point shows at once
        QCOMPARE(detail.forDensity(100).data(), detail.coarse().data());
        QCOMPARE(detail.forDensity(3).data(), detail.full().data());
    }

    void listingReplacesPrunedCheckpoints()
    {
        // With --checkpoints_total_limit 2 the server deletes the oldest folder: the next
        // listing must take its row (and its mark) away, not only add the new one.
        RunDashboard dashboard;
        dashboard.setRuns({RunRow{kRunA, RunRowState::Running, 0, 30000, qQNaN(), at(kStartA)}});
        dashboard.setCurrentRun(kRunA);
        dashboard.appendMetrics(kRunA, curve(6000, 30000, kStartA, 1.0, 7));
        const auto row = [&](qint64 step) {
            return CheckpointRow{step, at(kStartA + double(step)), 1000 + step, QStringLiteral("checkpoint-%1").arg(step)};
        };
        dashboard.setCheckpoints(kRunA, {row(4000), row(2000)});
        CheckpointTableModel *model = dashboard.checkpoints()->model();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->checkpoint(0).step, qint64(2000));   // sorted by step
        QVERIFY(dashboard.plot()->toolTipText(2500).contains(QStringLiteral("last checkpoint: checkpoint-2000")));
        dashboard.setCheckpoints(kRunA, {row(4000), row(6000)});
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->checkpoint(0).step, qint64(4000));
        QCOMPARE(model->checkpoint(1).step, qint64(6000));
        QVERIFY2(!dashboard.plot()->toolTipText(2500).contains(QStringLiteral("last checkpoint")),
                 qPrintable(dashboard.plot()->toolTipText(2500)));   // checkpoint-2000's mark is gone
        // Switching away and back shows the listing, not the rows seen before it.
        dashboard.setCurrentRun(QString());
        dashboard.setCurrentRun(kRunA);
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->checkpoint(0).step, qint64(4000));
    }

    void dashboardShowsARealCurve()
    {
        RunDashboard dashboard;
        dashboard.resize(1600, 1000);
        QAbstractItemModelTester runsTester(dashboard.runList()->model(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester checkpointsTester(dashboard.checkpoints()->model(),
                                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
        feed(dashboard);
        RunPlot *plot = dashboard.plot();

        // Every step is plotted, and the smoothed curve is TensorBoard's.
        const QCPGraphDataContainer *loss = plot->graphData(kRunA, PlotMetric::Loss);
        const QCPGraphDataContainer *smoothed = plot->graphData(kRunA, PlotMetric::SmoothedLoss);
        QCOMPARE(loss->size(), 20000);
        QCOMPARE(smoothed->size(), 20000);
        QCOMPARE(plot->graphData(kRunB, PlotMetric::Loss)->size(), 12000);
        QCOMPARE(plot->graphData(kRunA, PlotMetric::SampleMse)->size(), 40);
        for (int i : {0, 1, 2, 999, 19999}) {
            const double expected = handSmoothed(m_curveA, i, plot->smoothing());
            QVERIFY2(std::abs((smoothed->constBegin() + i)->value - expected) <= 1e-12 * expected,
                     qPrintable(QStringLiteral("point %1: %2 vs %3").arg(i).arg((smoothed->constBegin() + i)->value).arg(expected)));
        }
        // A new weight from the slider recomputes the whole curve.
        dashboard.plotControls()->smoothingSlider()->setValue(950);
        QCOMPARE(plot->smoothing(), 0.95);
        QVERIFY(std::abs((smoothed->constBegin() + 1234)->value - handSmoothed(m_curveA, 1234, 0.95)) < 1e-12);

        // Appending continues the smoothing where it stood.
        const QList<MetricPoint> more = curve(20100, 30000, kStartA, 1.0, 7).mid(20000);
        QList<MetricPoint> extended = m_curveA + more;
        dashboard.appendMetrics(kRunA, more);
        QCOMPARE(smoothed->size(), 20100);
        QVERIFY(std::abs((smoothed->constEnd() - 1)->value - handSmoothed(extended, 20099, 0.95)) < 1e-12);
        m_curveA = extended;

        // The tooltip names the run, the step and the exact values there.
        const QString tip = plot->toolTipText(12345.2);
        const MetricPoint &point = m_curveA[12344];
        QVERIFY2(tip.contains(kRunA + QStringLiteral("  step 12345")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("loss %1").arg(QString::number(point.loss, 'g', 6))), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("grad norm %1").arg(QString::number(point.gradNorm, 'g', 6))), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("sample MSE %1 at step 12500").arg(QString::number(sampleMse(12500), 'g', 6))),
                 qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("last checkpoint: checkpoint-12000")), qPrintable(tip));
        QVERIFY2(tip.contains(kRunB), qPrintable(tip));   // overlaid, so it is in the tooltip too

        // Overlay off hides run B; the current run stays.
        dashboard.runList()->model()->setOverlay(kRunB, false);
        QVERIFY(!plot->isRunVisible(kRunB));
        QVERIFY(!plot->customPlot()->graph(0)->visible() || plot->isRunVisible(kRunA));
        QVERIFY(!plot->toolTipText(12345).contains(kRunB));
        dashboard.setOverlay(kRunB, true);
        QVERIFY(plot->isRunVisible(kRunB));

        // X axis by wall time (a date ticker), then by time since start (runs line up at 0).
        QCPAxis *x = plot->panel(PlotMetric::Loss)->axis(QCPAxis::atBottom);
        dashboard.plotControls()->xAxisBox()->setCurrentIndex(1);
        QCOMPARE(plot->xAxisMode(), XAxisMode::WallTime);
        QCOMPARE(loss->constBegin()->key, m_curveA.first().wallTime);
        QVERIFY(!x->ticker().dynamicCast<QCPAxisTickerDateTime>().isNull());
        QVERIFY(x->range().contains(m_curveA.last().wallTime));
        QVERIFY(plot->toolTipText(m_curveA[12344].wallTime).contains(QStringLiteral("step 12345")));
        dashboard.plotControls()->xAxisBox()->setCurrentIndex(2);
        QCOMPARE(loss->constBegin()->key, 0.0);
        QCOMPARE(plot->graphData(kRunB, PlotMetric::Loss)->constBegin()->key, 0.0);
        QVERIFY(!x->ticker().dynamicCast<QCPAxisTickerTime>().isNull());
        dashboard.plotControls()->xAxisBox()->setCurrentIndex(0);
        QCOMPARE(loss->constBegin()->key, 1.0);
        QCOMPARE(x->range().lower, 1.0);

        // Log y on every value axis, with a positive range.
        dashboard.plotControls()->logScaleBox()->setChecked(true);
        QCPAxis *y = plot->panel(PlotMetric::Loss)->axis(QCPAxis::atLeft);
        QCOMPARE(y->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(plot->panel(PlotMetric::GradNorm)->axis(QCPAxis::atLeft)->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(y->range().lower > 0);
        QVERIFY(!y->ticker().dynamicCast<QCPAxisTickerLog>().isNull());

        // Zooming stops following; Fit follows again.
        x->setRange(5000, 6000);
        QVERIFY(!plot->followsLatest());
        plot->fitAll();
        QVERIFY(plot->followsLatest());
        QCOMPARE(x->range().lower, 1.0);

        // Header: step of max, elapsed, ETA at the recent rate, last checkpoint.
        RunHeader *header = dashboard.header();
        QCOMPARE(header->stateText(), QStringLiteral("running"));
        QCOMPARE(header->stepText(), QStringLiteral("step 20100 / 30000"));
        const RunProgress progress = RunProgress::estimate(*dashboard.series(kRunA), 30000);
        QVERIFY(progress.stepsPerSecond);
        QVERIFY2(std::abs(*progress.stepsPerSecond - 1 / kSecondsPerStep) < 0.05, qPrintable(QString::number(*progress.stepsPerSecond)));
        QVERIFY2(std::abs(*progress.etaSeconds - 9900 * kSecondsPerStep) < 120, qPrintable(QString::number(*progress.etaSeconds)));
        QVERIFY2(header->etaText().contains(RunProgress::formatDuration(*progress.etaSeconds)), qPrintable(header->etaText()));
        QVERIFY2(header->checkpointText().contains(QStringLiteral("checkpoint-20000")), qPrintable(header->checkpointText()));

        // Checkpoints: ten, the best by nearest sample MSE marked.
        CheckpointTableModel *checkpoints = dashboard.checkpoints()->model();
        QCOMPARE(checkpoints->rowCount(), 10);
        int expectedBest = -1;
        for (int row = 0; row < 10; ++row) {
            if (expectedBest < 0 || sampleMse(checkpoints->checkpoint(row).step) <
                                        sampleMse(checkpoints->checkpoint(expectedBest).step))
                expectedBest = row;
        }
        QCOMPARE(checkpoints->bestRow(), expectedBest);
        QVERIFY(checkpoints->checkpoint(expectedBest).step != 20000);
        QVERIFY(checkpoints->index(expectedBest, CheckpointTableModel::SampleMseColumn).data().toString().contains(QStringLiteral("best")));
        QVERIFY(checkpoints->index(expectedBest, 0).data(CheckpointTableModel::BestRole).toBool());

        // Download emits the selected checkpoint for the app to sync.
        QSignalSpy downloads(&dashboard, &RunDashboard::downloadCheckpointRequested);
        dashboard.checkpoints()->view()->selectRow(expectedBest);
        dashboard.checkpoints()->downloadButton()->click();
        QCOMPARE(downloads.size(), 1);
        QCOMPARE(downloads[0][0].toString(), kRunA);
        QCOMPARE(downloads[0][1].value<CheckpointRow>().step, checkpoints->checkpoint(expectedBest).step);

        // The run list: state, step, overlay box; Stop for the running run.
        RunListModel *runs = dashboard.runList()->model();
        QCOMPARE(runs->rowCount(), 2);
        const int rowA = runs->rowOf(kRunA);
        QCOMPARE(runs->index(rowA, RunListModel::StepColumn).data().toString(), QStringLiteral("20100 / 30000"));
        QCOMPARE(runs->index(rowA, RunListModel::StateColumn).data().toString(), QStringLiteral("running"));
        QCOMPARE(runs->index(runs->rowOf(kRunB), RunListModel::NameColumn).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QSignalSpy stops(&dashboard, &RunDashboard::stopRequested);
        const auto buttons = dashboard.runList()->findChildren<QPushButton *>();
        for (QPushButton *button : buttons) {
            if (button->text() == QStringLiteral("Stop"))
                button->click();
        }
        QCOMPARE(stops.size(), 1);
        QCOMPARE(stops[0][0].toString(), kRunA);

        // The log: the trainer's OOM line is recognised with a remedy; find counts matches.
        LogPanel *log = dashboard.logPanel();
        QCOMPARE(log->failures().size(), 1);
        QCOMPARE(log->failures().first().kind, FailureKind::CudaOutOfMemory);
        QVERIFY2(log->failuresText().contains(QStringLiteral("--train_batch_size 16")), qPrintable(log->failuresText()));
        log->setFindText(QStringLiteral("saved checkpoint"));
        QCOMPARE(log->matchCount(), 3);
        QCOMPARE(log->selectedText(), QStringLiteral("saved checkpoint"));
        // Lines streaming in are counted too, once the coalesced re-highlight runs.
        dashboard.appendLog(kRunA, {QStringLiteral("saved checkpoint-20100")});
        QTRY_COMPARE(log->matchCount(), 4);

        // GPUs: two cards with history; then a server without the driver.
        GpuPanel *gpus = dashboard.gpuPanel();
        QCOMPARE(gpus->gpuCount(), 2);
        QCOMPARE(gpus->historyLength(0), 30);
        QVERIFY2(gpus->cardText(0).contains(QStringLiteral("/ 80 GiB")), qPrintable(gpus->cardText(0)));
        QVERIFY2(gpus->cardText(1).contains(QStringLiteral("41 °C")), qPrintable(gpus->cardText(1)));

        // The screenshot: smoothing back to TensorBoard's default, linear y, LR and samples/s.
        dashboard.plotControls()->smoothingSlider()->setValue(600);
        dashboard.plotControls()->logScaleBox()->setChecked(false);
        dashboard.plotControls()->metricButton(PlotMetric::SamplesPerSecond)->setChecked(true);
        dashboard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
        QCoreApplication::processEvents();
        plot->customPlot()->replot();
        QVERIFY(saveScreenshot(&dashboard, QStringLiteral("run-dashboard.png")));
        plot->customPlot()->savePng(QStringLiteral(RDT_SCREENSHOT_DIR "/run-dashboard-plot.png"), 1200, 700);

        dashboard.setGpuUnavailable(QStringLiteral("No NVIDIA driver on gpu01: nvidia-smi not found"));
        QCOMPARE(gpus->gpuCount(), 0);
        QVERIFY(gpus->unavailableText().contains(QStringLiteral("No NVIDIA driver")));
    }
};

QTEST_MAIN(DashboardTest)
#include "gui_dashboard.moc"
