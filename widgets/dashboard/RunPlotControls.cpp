// Wiring of the plot controls to the RunPlot's setters.
#include "RunPlotControls.h"

#include "RunPlot.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QToolButton>

#include <cmath>

namespace rdt {

namespace {

// The slider counts in thousandths of the weight; TensorBoard's range ends at 0.999.
constexpr int kSmoothingSteps = 999;

QString metricLabel(PlotMetric metric)
{
    switch (metric) {
    case PlotMetric::Loss:
        return QObject::tr("Loss");
    case PlotMetric::SmoothedLoss:
        return QObject::tr("Smoothed");
    case PlotMetric::LearningRate:
        return QObject::tr("LR");
    case PlotMetric::GradNorm:
        return QObject::tr("Grad norm");
    case PlotMetric::SamplesPerSecond:
        return QObject::tr("Samples/s");
    case PlotMetric::SampleMse:
        return QObject::tr("Sample MSE");
    case PlotMetric::Count:
        break;
    }
    return {};
}

} // namespace

RunPlotControls::RunPlotControls(RunPlot *plot, QWidget *parent) : QWidget(parent), m_plot(plot)
{
    m_xAxis = new QComboBox(this);
    m_xAxis->addItem(tr("Step"), int(XAxisMode::Step));
    m_xAxis->addItem(tr("Wall time"), int(XAxisMode::WallTime));
    m_xAxis->addItem(tr("Time since start"), int(XAxisMode::RelativeTime));
    m_xAxis->setCurrentIndex(m_xAxis->findData(int(plot->xAxisMode())));
    m_logScale = new QCheckBox(tr("Log y"), this);
    m_logScale->setChecked(plot->logScale());
    m_smoothing = new QSlider(Qt::Horizontal, this);
    m_smoothing->setRange(0, kSmoothingSteps);
    m_smoothing->setValue(int(std::lround(plot->smoothing() * 1000)));
    m_smoothing->setFixedWidth(120);
    m_smoothing->setToolTip(tr("Exponential moving average weight, debiased at the start as TensorBoard does"));
    m_smoothingValue = new QLabel(QString::number(plot->smoothing(), 'f', 3), this);
    m_smoothingValue->setMinimumWidth(36);
    auto *fit = new QToolButton(this);
    fit->setText(tr("Fit"));
    fit->setToolTip(tr("Show all data and follow new points (or double-click the plot)"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(new QLabel(tr("X axis"), this));
    layout->addWidget(m_xAxis);
    layout->addSpacing(8);
    layout->addWidget(m_logScale);
    layout->addSpacing(8);
    layout->addWidget(new QLabel(tr("Smoothing"), this));
    layout->addWidget(m_smoothing);
    layout->addWidget(m_smoothingValue);
    layout->addSpacing(8);
    for (int i = 0; i < int(PlotMetric::Count); ++i) {
        const PlotMetric metric = PlotMetric(i);
        auto *button = new QToolButton(this);
        button->setText(metricLabel(metric));
        button->setCheckable(true);
        button->setChecked(plot->isMetricVisible(metric));
        button->setAutoRaise(true);
        connect(button, &QToolButton::toggled, plot, [plot, metric](bool on) { plot->setMetricVisible(metric, on); });
        m_metricButtons.append(button);
        layout->addWidget(button);
    }
    layout->addStretch(1);
    layout->addWidget(fit);

    connect(m_xAxis, &QComboBox::currentIndexChanged, plot,
            [this] { m_plot->setXAxisMode(XAxisMode(m_xAxis->currentData().toInt())); });
    connect(m_logScale, &QCheckBox::toggled, plot, &RunPlot::setLogScale);
    connect(m_smoothing, &QSlider::valueChanged, plot, [this](int value) {
        m_smoothingValue->setText(QString::number(value / 1000.0, 'f', 3));
        m_plot->setSmoothing(value / 1000.0);
    });
    connect(fit, &QToolButton::clicked, plot, &RunPlot::fitAll);
}

QToolButton *RunPlotControls::metricButton(PlotMetric metric) const
{
    return m_metricButtons.value(int(metric));
}

} // namespace rdt
