// A GPU card's layout and how it shows a sample (missing values as "n/a").
#include "GpuCard.h"

#include "Sparkline.h"

#include <QGridLayout>
#include <QLabel>

namespace rdt {

namespace {

// Temperatures are drawn against 30..95 °C: idle to where data-centre GPUs throttle.
constexpr double kCoolCelsius = 30;
constexpr double kHotCelsius = 95;

QLabel *valueLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setMinimumWidth(118);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel *caption(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setStyleSheet(QStringLiteral("color: #6b7280;"));
    return label;
}

} // namespace

GpuCard::GpuCard(int historyLength, QWidget *parent) : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setObjectName(QStringLiteral("gpuCard"));
    setStyleSheet(QStringLiteral("#gpuCard { background: white; border: 1px solid #e5e7eb; border-radius: 6px; }"));
    m_title = new QLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_utilization = valueLabel(this);
    m_memory = valueLabel(this);
    m_temperature = valueLabel(this);
    m_utilizationLine = new Sparkline(0, 100, historyLength, QColor(0x16, 0xa3, 0x4a), this);
    m_memoryLine = new Sparkline(0, 100, historyLength, QColor(0x25, 0x63, 0xeb), this);
    m_temperatureLine = new Sparkline(kCoolCelsius, kHotCelsius, historyLength, QColor(0xea, 0x58, 0x0c), this);

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(8, 6, 8, 6);
    grid->setVerticalSpacing(2);
    grid->addWidget(m_title, 0, 0, 1, 3);
    grid->addWidget(caption(tr("util"), this), 1, 0);
    grid->addWidget(m_utilization, 1, 1);
    grid->addWidget(m_utilizationLine, 1, 2);
    grid->addWidget(caption(tr("memory"), this), 2, 0);
    grid->addWidget(m_memory, 2, 1);
    grid->addWidget(m_memoryLine, 2, 2);
    grid->addWidget(caption(tr("temp"), this), 3, 0);
    grid->addWidget(m_temperature, 3, 1);
    grid->addWidget(m_temperatureLine, 3, 2);
    grid->setColumnStretch(2, 1);
}

void GpuCard::addSample(const GpuSample &sample)
{
    const QString unknown = tr("n/a");
    m_name = QStringLiteral("GPU %1  %2").arg(sample.index).arg(sample.name);
    setRole(m_role);
    m_utilization->setText(sample.utilizationPercent >= 0 ? QStringLiteral("%1 %").arg(sample.utilizationPercent)
                                                          : unknown);
    const bool memoryKnown = sample.memoryUsedMiB >= 0 && sample.memoryTotalMiB > 0;
    m_memory->setText(memoryKnown ? QStringLiteral("%1 / %2 GiB")
                                        .arg(double(sample.memoryUsedMiB) / 1024.0, 0, 'f', 1)
                                        .arg(double(sample.memoryTotalMiB) / 1024.0, 0, 'f', 0)
                                  : unknown);
    m_temperature->setText(sample.temperatureCelsius >= 0 ? QStringLiteral("%1 °C").arg(sample.temperatureCelsius)
                                                          : unknown);
    // A missing value still advances the history, as a gap at the bottom, so time stays aligned.
    m_utilizationLine->addValue(std::max(0, sample.utilizationPercent));
    m_memoryLine->addValue(memoryKnown ? 100.0 * double(sample.memoryUsedMiB) / double(sample.memoryTotalMiB) : 0.0);
    m_temperatureLine->addValue(sample.temperatureCelsius >= 0 ? sample.temperatureCelsius : kCoolCelsius);
}

void GpuCard::setRole(const QString &role)
{
    m_role = role;
    m_title->setText(role.isEmpty() ? m_name : QStringLiteral("%1  —  %2").arg(m_name, role));
}

QString GpuCard::text() const
{
    return QStringLiteral("%1 | %2 | %3 | %4")
        .arg(m_title->text(), m_utilization->text(), m_memory->text(), m_temperature->text());
}

int GpuCard::historyLength() const
{
    return int(m_utilizationLine->values().size());
}

} // namespace rdt
