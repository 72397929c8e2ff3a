// The GPU check boxes and the process count; the count follows the picks (one process per
// GPU) and can be lowered, never raised above them on a GPU run.
#include "GpuPicker.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace rdt {

namespace {

// Beyond this many processes a CPU run only slows down on the machines we know.
constexpr int kMaxCpuProcesses = 64;
constexpr int kBoxesPerRow = 4;

} // namespace

GpuPicker::GpuPicker(QWidget *parent)
    : QWidget(parent), m_boxesArea(new QWidget), m_processes(new QSpinBox), m_note(new QLabel)
{
    m_processes->setRange(1, kMaxCpuProcesses);
    m_processes->setMaximumWidth(120);
    m_note->setWordWrap(true);
    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("GPUs:"), m_boxesArea);
    form->addRow(tr("Processes per node:"), m_processes);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_note);
    new QGridLayout(m_boxesArea);
    connect(m_processes, &QSpinBox::valueChanged, this, &GpuPicker::countChanged);
}

void GpuPicker::countChanged()
{
    m_note->setText(m_cpuRun ? tr("A CPU run: %1 process(es) share the server's cores (Gloo).").arg(processes())
                    : processes() == 1 ? tr("One process on GPU %1.").arg(visibleDevices())
                                       : tr("%1 processes, one per GPU (%2), NCCL: rdt-trainer launch --nproc_per_node %1.")
                                             .arg(processes()).arg(visibleDevices()));
    Q_EMIT changed();
}

void GpuPicker::setGpus(const QList<GpuInfo> &gpus, bool cpuRun, int processes)
{
    m_gpus = gpus;
    m_cpuRun = cpuRun || gpus.isEmpty();
    qDeleteAll(m_boxes);
    m_boxes.clear();
    auto *grid = static_cast<QGridLayout *>(m_boxesArea->layout());
    if (!m_cpuRun) {
        for (const GpuInfo &gpu : gpus) {
            QString text = tr("GPU %1: %2").arg(gpu.index).arg(gpu.name);
            if (gpu.memoryTotalMiB)
                text += tr(" (%1 GiB)").arg(double(*gpu.memoryTotalMiB) / 1024.0, 0, 'f', 0);
            if (gpu.isBusy())
                text += tr(" — busy");
            auto *box = new QCheckBox(text);
            box->setChecked(true);
            box->setProperty("gpuIndex", gpu.index);
            connect(box, &QCheckBox::toggled, this, &GpuPicker::picksChanged);
            grid->addWidget(box, int(m_boxes.size()) / kBoxesPerRow, int(m_boxes.size()) % kBoxesPerRow);
            m_boxes.append(box);
        }
    }
    m_boxesArea->setVisible(!m_cpuRun);
    m_processes->setMaximum(m_cpuRun ? kMaxCpuProcesses : std::max<int>(1, int(m_boxes.size())));
    m_processes->setValue(m_cpuRun ? std::max(1, processes) : m_processes->maximum());
    countChanged();
}

void GpuPicker::picksChanged()
{
    const int picked = int(pickedGpus().size());
    m_processes->setMaximum(std::max(1, picked));
    m_processes->setValue(std::max(1, picked));   // one process per picked GPU
    countChanged();
}

QList<int> GpuPicker::pickedGpus() const
{
    QList<int> picked;
    for (const QCheckBox *box : m_boxes)
        if (box->isChecked())
            picked << box->property("gpuIndex").toInt();
    std::sort(picked.begin(), picked.end());
    return picked;
}

int GpuPicker::processes() const
{
    return m_processes->value();
}

QString GpuPicker::visibleDevices() const
{
    QStringList devices;
    for (int index : pickedGpus().mid(0, processes()))
        devices << QString::number(index);
    return devices.join(QLatin1Char(','));
}

QCheckBox *GpuPicker::checkBoxOf(int gpuIndex) const
{
    for (QCheckBox *box : m_boxes)
        if (box->property("gpuIndex").toInt() == gpuIndex)
            return box;
    return nullptr;
}

} // namespace rdt
