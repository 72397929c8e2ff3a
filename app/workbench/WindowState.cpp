// Splitters and tab widgets are numbered in the window's child order; their count is saved
// too, and a window built differently (another version) restores none of them rather than
// the wrong ones.
#include "WindowState.h"

#include "MainWindow.h"
#include "PlotMetric.h"
#include "RunDashboard.h"
#include "RunPlot.h"
#include "RunPlotControls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>

namespace rdt {
namespace {

const QString kGroup = QStringLiteral("window");

} // namespace

WindowState *WindowState::install(MainWindow *window)
{
    auto *state = new WindowState(window);
    state->restore();
    return state;
}

WindowState::WindowState(MainWindow *window) : QObject(window), m_window(window)
{
    window->installEventFilter(this);
    connect(qApp, &QCoreApplication::aboutToQuit, this, &WindowState::save);
}

bool WindowState::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Close)
        save();
    return QObject::eventFilter(watched, event);
}

void WindowState::save() const
{
    if (!m_window)
        return;
    QSettings settings;
    settings.beginGroup(kGroup);
    settings.setValue(QStringLiteral("geometry"), m_window->saveGeometry());
    const QList<QSplitter *> splitters = m_window->findChildren<QSplitter *>();
    settings.setValue(QStringLiteral("splitterCount"), splitters.size());
    for (int i = 0; i < splitters.size(); ++i)
        settings.setValue(QStringLiteral("splitter%1").arg(i), splitters[i]->saveState());
    const QList<QTabWidget *> tabs = m_window->findChildren<QTabWidget *>();
    settings.setValue(QStringLiteral("tabCount"), tabs.size());
    for (int i = 0; i < tabs.size(); ++i)
        settings.setValue(QStringLiteral("tab%1").arg(i), tabs[i]->currentIndex());

    const RunPlotControls *controls = m_window->runDashboard()->plotControls();
    settings.setValue(QStringLiteral("plot/xAxis"), controls->xAxisBox()->currentIndex());
    settings.setValue(QStringLiteral("plot/logScale"), controls->logScaleBox()->isChecked());
    settings.setValue(QStringLiteral("plot/smoothing"), controls->smoothingSlider()->value());
    for (int m = 0; m < int(PlotMetric::Count); ++m)
        settings.setValue(QStringLiteral("plot/metric%1").arg(m), controls->metricButton(PlotMetric(m))->isChecked());
}

void WindowState::restore()
{
    QSettings settings;
    settings.beginGroup(kGroup);
    if (settings.contains(QStringLiteral("geometry")))
        m_window->restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    const QList<QSplitter *> splitters = m_window->findChildren<QSplitter *>();
    if (settings.value(QStringLiteral("splitterCount")).toInt() == splitters.size())
        for (int i = 0; i < splitters.size(); ++i)
            splitters[i]->restoreState(settings.value(QStringLiteral("splitter%1").arg(i)).toByteArray());
    const QList<QTabWidget *> tabs = m_window->findChildren<QTabWidget *>();
    if (settings.value(QStringLiteral("tabCount")).toInt() == tabs.size())
        for (int i = 0; i < tabs.size(); ++i)
            tabs[i]->setCurrentIndex(settings.value(QStringLiteral("tab%1").arg(i), tabs[i]->currentIndex()).toInt());

    // Through the controls, so they and the plot agree.
    RunPlotControls *controls = m_window->runDashboard()->plotControls();
    if (settings.contains(QStringLiteral("plot/xAxis")))
        controls->xAxisBox()->setCurrentIndex(settings.value(QStringLiteral("plot/xAxis")).toInt());
    if (settings.contains(QStringLiteral("plot/logScale")))
        controls->logScaleBox()->setChecked(settings.value(QStringLiteral("plot/logScale")).toBool());
    if (settings.contains(QStringLiteral("plot/smoothing")))
        controls->smoothingSlider()->setValue(settings.value(QStringLiteral("plot/smoothing")).toInt());
    for (int m = 0; m < int(PlotMetric::Count); ++m) {
        const QString key = QStringLiteral("plot/metric%1").arg(m);
        if (settings.contains(key))
            controls->metricButton(PlotMetric(m))->setChecked(settings.value(key).toBool());
    }
}

} // namespace rdt
