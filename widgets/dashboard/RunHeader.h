// The line above the plot: run name and state, step / max with a progress bar, elapsed
// time, ETA from the recent step rate, and the last checkpoint.
#pragma once

#include "RunProgress.h"
#include "RunRow.h"

#include <QWidget>

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

private:
    QLabel *m_name;
    QLabel *m_state;
    QProgressBar *m_progress;
    QLabel *m_step;
    QLabel *m_elapsed;
    QLabel *m_eta;
    QLabel *m_checkpoint;
};

} // namespace rdt
