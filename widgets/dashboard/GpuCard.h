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
    QString text() const;
    int historyLength() const;

private:
    QLabel *m_title;
    QLabel *m_utilization;
    QLabel *m_memory;
    QLabel *m_temperature;
    Sparkline *m_utilizationLine;
    Sparkline *m_memoryLine;
    Sparkline *m_temperatureLine;
};

} // namespace rdt
