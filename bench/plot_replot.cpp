// Run plot replot speed (issue 6): 4 series of 100,000 points each (loss, smoothed loss,
// learning rate, grad norm of one run) in a 1200 x 600 plot on Qt's offscreen platform.
//   full:   a replot of everything, median of 41                 target < 20 ms
//   append: 100 new points into every series, RunPlot::updateRun() and the event loop
//           pass that runs the one replot it queues                 target < 5 ms
// Prints each median and its ratio to the target (below 1 meets it), as wall time and as
// the CPU time of the GUI thread: on a loaded machine (a shared build box) the wall time
// counts the time the thread waits for a core, the CPU time does not. Run by hand:
//   build/bench/bench_plot_replot [points]
#include "RunPlot.h"
#include "RunSeries.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <ctime>
#include <vector>

namespace {

constexpr int kRepeats = 41;
constexpr int kAppendPoints = 100;
constexpr double kFullTargetMs = 20.0;
constexpr double kAppendTargetMs = 5.0;

// A diffusion-loss-like curve: fast early fall, slow tail, multiplicative noise; warm-up
// then cosine learning rate; a noisy grad norm; about 45 samples/s.
struct CurveMaker {
    std::mt19937 random{42};
    std::normal_distribution<double> noise{0.0, 1.0};
    qint64 step = 0;
    double time = 1.7e9;

    void appendTo(rdt::RunSeries &series, int count, int totalSteps)
    {
        for (int i = 0; i < count; ++i) {
            ++step;
            time += 0.35 + 0.02 * noise(random);
            const double progress = double(step) / totalSteps;
            const double loss = (0.02 + 0.9 * std::exp(-double(step) / 3000.0)) * std::exp(0.25 * noise(random));
            const double warm = std::min(1.0, double(step) / 1000.0);
            const double lr = 1e-4 * warm * 0.5 * (1 + std::cos(M_PI * std::min(1.0, progress)));
            const double gradNorm = std::abs(0.6 + 0.3 * std::exp(-double(step) / 5000.0) + 0.1 * noise(random));
            series.append(step, time, loss, lr, gradNorm, 45 + 2 * noise(random));
        }
    }
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double threadCpuMs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

// Wall and thread CPU milliseconds of one call.
struct Timings {
    std::vector<double> wall;
    std::vector<double> cpu;

    template <typename F>
    void measure(F &&work)
    {
        QElapsedTimer timer;
        const double cpuStart = threadCpuMs();
        timer.start();
        work();
        wall.push_back(double(timer.nsecsElapsed()) / 1e6);
        cpu.push_back(threadCpuMs() - cpuStart);
    }
};

void report(const char *what, const Timings &timings, double targetMs)
{
    const double wall = median(timings.wall);
    const double cpu = median(timings.cpu);
    std::printf("%-18s median wall %7.2f ms (min %.2f)  cpu %7.2f ms  target %4.1f ms  ratio wall %.2f  cpu %.2f\n",
                what, wall, *std::min_element(timings.wall.begin(), timings.wall.end()), cpu, targetMs,
                wall / targetMs, cpu / targetMs);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int points = argc > 1 ? std::max(1000, std::atoi(argv[1])) : 100000;

    rdt::RunSeries series;
    CurveMaker curve;
    curve.appendTo(series, points, points + kRepeats * kAppendPoints);

    rdt::RunPlot plot;
    plot.setMetricVisible(rdt::PlotMetric::SampleMse, false);
    plot.setMetricVisible(rdt::PlotMetric::SamplesPerSecond, false);
    plot.resize(1200, 600);
    plot.show();
    plot.addRun(QStringLiteral("bench"), &series, QColor(0x1f, 0x77, 0xb4));
    QCustomPlot *customPlot = plot.customPlot();
    customPlot->replot(QCustomPlot::rpImmediateRefresh);
    QCoreApplication::processEvents();

    Timings full;
    for (int i = 0; i < kRepeats; ++i)
        full.measure([&] { customPlot->replot(QCustomPlot::rpImmediateRefresh); });

    // The app's own path: new points, updateRun() queues one replot, the event loop runs it.
    int replots = 0;
    QObject::connect(customPlot, &QCustomPlot::afterReplot, [&replots] { ++replots; });
    Timings append;
    for (int i = 0; i < kRepeats; ++i) {
        const int before = replots;
        append.measure([&] {
            curve.appendTo(series, kAppendPoints, points + kRepeats * kAppendPoints);
            plot.updateRun(QStringLiteral("bench"));
            QCoreApplication::processEvents();
        });
        if (replots != before + 1) {
            std::fprintf(stderr, "plot_replot: expected one replot per append, saw %d\n", replots - before);
            return 2;
        }
    }

    std::printf("plot_replot: 4 series x %d points, %dx%d px, QCustomPlot %s\n", points, customPlot->width(),
                customPlot->height(), QCUSTOMPLOT_VERSION_STR);
    report("full replot", full, kFullTargetMs);
    report("append 100+replot", append, kAppendTargetMs);
    const double fullMs = median(full.cpu);
    const double appendMs = median(append.cpu);
    return fullMs < kFullTargetMs && appendMs < kAppendTargetMs ? 0 : 1;
}
