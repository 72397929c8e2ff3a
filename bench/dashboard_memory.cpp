// Workbench memory with 3 runs of 100,000 steps loaded in the run dashboard (issue 6,
// target < 300 MB): the dashboard shown offscreen, 3 runs backfilled (loss, learning rate,
// grad norm, samples/s per step; a sample event every 1,000 steps; a checkpoint every
// 2,000), all overlaid and drawn. Prints the process's resident memory before the data,
// after it and the peak, and the ratio of the resident memory to the target. By hand:
//   QT_QPA_PLATFORM=offscreen build/bench/bench_dashboard_memory [steps]
#include "MediaBackend.h"
#include "RunDashboard.h"

#include <QApplication>
#include <QDateTime>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

namespace {

constexpr double kTargetMb = 300.0;
constexpr int kRuns = 3;

// VmRSS or VmHWM from /proc/self/status, in MB.
double statusMb(const std::string &field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field + ":", 0) == 0)
            return std::stod(line.substr(field.size() + 1)) / 1024.0;
    }
    return -1;
}

QList<rdt::MetricPoint> curve(int run, qint64 steps)
{
    std::mt19937 random(run);
    std::normal_distribution<double> noise(0.0, 1.0);
    QList<rdt::MetricPoint> points;
    points.reserve(steps);
    double time = 1.7e9 + run * 86400;
    for (qint64 step = 1; step <= steps; ++step) {
        time += 0.35;
        rdt::MetricPoint p;
        p.step = step;
        p.wallTime = time;
        p.loss = (0.02 + 0.9 * std::exp(-double(step) / 3000.0)) * std::exp(0.25 * noise(random));
        p.learningRate = 1e-4 * std::min(1.0, double(step) / 1000.0);
        p.gradNorm = std::abs(0.6 + 0.1 * noise(random));
        p.samplesPerSecond = 45 + 2 * noise(random);
        p.dataWaitSeconds = 0.001;
        points.push_back(p);
    }
    return points;
}

} // namespace

int main(int argc, char **argv)
{
    rdt::preferFfmpegMediaBackend();   // the dashboard holds the eval player: see MediaBackend.h
    QApplication app(argc, argv);
    const qint64 steps = argc > 1 ? std::atoll(argv[1]) : 100000;
    rdt::RunDashboard dashboard;
    dashboard.resize(1600, 1000);
    dashboard.show();
    app.processEvents();
    const double before = statusMb("VmRSS");

    for (int run = 0; run < kRuns; ++run) {
        const QString name = QStringLiteral("run-%1").arg(run);
        rdt::RunRow row;
        row.name = name;
        row.step = steps;
        row.maxSteps = steps;
        dashboard.updateRun(row);
        dashboard.appendMetrics(name, curve(run, steps));
        for (qint64 step = 1000; step <= steps; step += 1000)
            dashboard.addSample(name, {step, 1.7e9 + step * 0.35, 0.1 * std::exp(-double(step) / 20000.0)});
        std::vector<rdt::CheckpointRow> checkpoints;
        for (qint64 step = 2000; step <= steps; step += 2000)
            checkpoints.push_back({step, QDateTime::currentDateTime(), -1, QStringLiteral("checkpoint-%1").arg(step)});
        dashboard.setCheckpoints(name, checkpoints);
        dashboard.setOverlay(name, true);
    }
    dashboard.setCurrentRun(QStringLiteral("run-0"));
    for (int i = 0; i < 5; ++i)
        app.processEvents();
    dashboard.grab(); // draw everything once, as a visible window would

    const double after = statusMb("VmRSS"), peak = statusMb("VmHWM");
    std::printf("dashboard with %d runs of %lld steps: resident %.1f MB (%.1f MB before the data), peak %.1f MB\n",
                kRuns, static_cast<long long>(steps), after, before, peak);
    std::printf("ratio to the %.0f MB target: %.2f resident, %.2f peak (below 1 meets it)\n", kTargetMb,
                after / kTargetMb, peak / kTargetMb);
    return 0;
}
