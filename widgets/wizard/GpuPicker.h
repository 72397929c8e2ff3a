// The launch page's choice of where a run's processes go: one check box per GPU the server
// check listed (all ticked by default, busy ones marked) and the processes per node, one
// per picked GPU unless the user asks for fewer. Without GPUs (a CPU run) only the process
// count is there: the workers then share the CPU over Gloo.
#pragma once

#include "GpuInfo.h"

#include <QList>
#include <QWidget>

class QCheckBox;
class QLabel;
class QSpinBox;

namespace rdt {

class GpuPicker : public QWidget {
    Q_OBJECT
public:
    explicit GpuPicker(QWidget *parent = nullptr);

    // Replaces the list; every GPU starts ticked. processes: the count to start with on a
    // CPU run (the configuration page's), capped to the picked GPUs on a GPU run.
    void setGpus(const QList<GpuInfo> &gpus, bool cpuRun, int processes);

    QList<int> pickedGpus() const;      // nvidia-smi indices, ascending
    int processes() const;
    // CUDA_VISIBLE_DEVICES for the run: the first processes() picked GPUs ("" on a CPU run).
    QString visibleDevices() const;
    QCheckBox *checkBoxOf(int gpuIndex) const;
    QSpinBox *processesBox() const { return m_processes; }

Q_SIGNALS:
    void changed();

private:
    void picksChanged();
    void countChanged();

    QList<GpuInfo> m_gpus;
    QList<QCheckBox *> m_boxes;
    QWidget *m_boxesArea;
    QSpinBox *m_processes;
    QLabel *m_note;
    bool m_cpuRun = true;
};

} // namespace rdt
