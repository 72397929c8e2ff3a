// The line above the plot: run name and state, step / max with a progress bar, elapsed
// time, ETA from the recent step rate, and the last checkpoint.
#pragma once

#include "RunProgress.h"
#include "RunRow.h"

#include <QWidget>

#include <functional>

class QTimer;

class QLabel;
class QProgressBar;

namespace rdt {

class RunSeries;

class RunHeader : public QWidget {
    Q_OBJECT
public:
    explicit RunHeader(QWidget *parent = nullptr);

    // `series` may be null (no metrics read yet).
    void setRun(const RunRow &row, const RunSeries *series);
    void clear();

    // For tests: the texts as shown.
    QString stateText() const;
    QString stepText() const;
    QString elapsedText() const;
    QString etaText() const;
    QString checkpointText() const;
    // The clock the checkpoint's age is taken against (seconds since the epoch, as the
    // trainer's "time"); tests set one.
    void setClock(std::function<double()> clock) { m_clock = std::move(clock); }

private:
    void showCheckpointAge();

    QLabel *m_name;
    QLabel *m_state;
    QProgressBar *m_progress;
    QLabel *m_step;
    QLabel *m_elapsed;
    QLabel *m_eta;
    QLabel *m_checkpoint;
    const RunSeries *m_series = nullptr;   // the shown run's; owned by the dashboard
    QTimer *m_ageTimer;                    // the checkpoint's age grows while nothing is logged
    std::function<double()> m_clock;
};

} // namespace rdt
