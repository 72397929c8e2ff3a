// Learns the step rate from finished runs, so the configuration page's duration estimate
// comes from this server's own history: when a run the wizard launched finishes, its
// measured steps per second are kept (a setting) for that host and the settings that set
// the speed (model size, device, processes, batch, accumulation, precision, gradient
// checkpointing); the configuration page starts from the last such rate.
#pragma once

#include <QObject>
#include <QString>

namespace rdt {

class MainWindow;
class RunDashboard;
struct TrainingSettings;

class StepRateMemory : public QObject {
    Q_OBJECT
public:
    explicit StepRateMemory(MainWindow *window);

    // What the rate is kept under: the host and the settings that decide the speed.
    static QString shapeKey(const QString &host, const TrainingSettings &settings);
    // 0: none learned yet.
    static double rateFor(const QString &shapeKey);

private:
    void learnFromFinishedRuns();
    void offerRate();

    MainWindow *m_window;
};

} // namespace rdt
