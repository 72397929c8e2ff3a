// One GPU in the GPU panel: name, and utilisation / memory / temperature rows, each a
// value and its sparkline.
#pragma once

#include "GpuSample.h"

#include <QFrame>

class QLabel;

namespace rdt {

class Sparkline;

class GpuCard : public QFrame {
    Q_OBJECT
public:
    GpuCard(int historyLength, QWidget *parent = nullptr);

    void addSample(const GpuSample &sample);
    // What runs on it, shown after the name ("run r1, rank 3"); empty: nothing known.
    void setRole(const QString &role);
    QString text() const;
    int historyLength() const;

private:
    QLabel *m_title;
    QString m_name;   // "GPU 3  NVIDIA H100"
    QString m_role;
    QLabel *m_utilization;
    QLabel *m_memory;
    QLabel *m_temperature;
    Sparkline *m_utilizationLine;
    Sparkline *m_memoryLine;
    Sparkline *m_temperatureLine;
};

} // namespace rdt
