// Menu items name the current run; a failed export says why in a message box and in
// exportFailed(), and leaves no file (every writer here writes a temporary and renames).
#include "DashboardExportButton.h"

#include "DashboardCsv.h"
#include "PlotExportDialog.h"
#include "PlotExporter.h"
#include "RunDashboard.h"
#include "RunPlot.h"
#include "RunSeries.h"

#include <qcustomplot.h>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>

namespace rdt {
namespace {

Result<void> writeFile(const QString &path, const QByteArray &bytes, const QString &what)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return makeError(ErrorCode::LocalIo, QStringLiteral("%1 to %2: %3").arg(what, path, file.errorString()));
    return {};
}

} // namespace

DashboardExportButton::DashboardExportButton(RunDashboard *dashboard, QWidget *parent)
    : QToolButton(parent), m_dashboard(dashboard), m_lastFolder(QDir::homePath())
{
    setText(tr("Export"));
    setToolTip(tr("Save the plot as an image, the metrics as CSV, or the run's configuration"));
    setPopupMode(QToolButton::InstantPopup);
    setAutoRaise(true);
    auto *menu = new QMenu(this);
    m_plotAction = menu->addAction(tr("Plot as PNG, SVG or PDF…"), this, &DashboardExportButton::askPlot);
    m_metricsAction = menu->addAction(QString(), this, &DashboardExportButton::askMetrics);
    m_curvesAction = menu->addAction(tr("Visible curves as CSV (smoothed as drawn)…"), this, &DashboardExportButton::askCurves);
    menu->addSeparator();
    m_configurationAction = menu->addAction(QString(), this, &DashboardExportButton::askConfiguration);
    setMenu(menu);
    connect(menu, &QMenu::aboutToShow, this, &DashboardExportButton::updateMenu);
    updateMenu();
}

void DashboardExportButton::updateMenu()
{
    const QString run = m_dashboard->currentRun();
    const bool hasRun = !run.isEmpty() && m_dashboard->series(run);
    m_metricsAction->setText(hasRun ? tr("Metrics of %1 as CSV…").arg(run) : tr("Metrics as CSV (no run chosen)"));
    m_configurationAction->setText(hasRun ? tr("Configuration of %1…").arg(run) : tr("Configuration (no run chosen)"));
    m_metricsAction->setEnabled(hasRun);
    m_configurationAction->setEnabled(hasRun);
}

Result<void> DashboardExportButton::exportPlot(const QString &path, QSize size)
{
    return PlotExporter::save(m_dashboard->plot()->customPlot(), path, size);
}

Result<void> DashboardExportButton::exportMetrics(const QString &run, const QString &path)
{
    const RunSeries *series = m_dashboard->series(run);
    if (!series)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("export the metrics of %1: the dashboard has no such run").arg(run));
    return writeFile(path, DashboardCsv::metrics(*series), QStringLiteral("export the metrics of %1").arg(run));
}

Result<void> DashboardExportButton::exportVisibleCurves(const QString &path)
{
    return writeFile(path, DashboardCsv::visibleCurves(*m_dashboard->plot()), QStringLiteral("export the visible curves"));
}

QString DashboardExportButton::chooseFile(const QString &title, const QString &name, const QString &filter)
{
    const QString suggested = QDir(m_lastFolder).filePath(name);
    const QString chosen = m_chooseFile ? m_chooseFile(title, suggested, filter)
                                        : QFileDialog::getSaveFileName(window(), title, suggested, filter);
    if (!chosen.isEmpty())
        m_lastFolder = QFileInfo(chosen).absolutePath();
    return chosen;
}

void DashboardExportButton::report(const QString &path, const Result<void> &result)
{
    if (result) {
        Q_EMIT exported(path);
        return;
    }
    Q_EMIT exportFailed(result.error().message);
    if (!m_chooseFile)
        QMessageBox::warning(window(), tr("Export"), result.error().message);
}

void DashboardExportButton::askPlot()
{
    const QString run = m_dashboard->currentRun();
    PlotExportDialog dialog(m_dashboard->plot()->customPlot()->size(),
                            QDir(m_lastFolder).filePath((run.isEmpty() ? QStringLiteral("plot") : run) + QStringLiteral(".png")),
                            window());
    if (dialog.exec() != QDialog::Accepted || dialog.path().isEmpty())
        return;
    m_lastFolder = QFileInfo(dialog.path()).absolutePath();
    report(dialog.path(), PlotExporter::save(m_dashboard->plot()->customPlot(), dialog.path(), dialog.format(), dialog.size()));
}

void DashboardExportButton::askMetrics()
{
    const QString run = m_dashboard->currentRun();
    const QString path = chooseFile(tr("Export metrics"), run + QStringLiteral("-metrics.csv"), tr("CSV (*.csv)"));
    if (!path.isEmpty())
        report(path, exportMetrics(run, path));
}

void DashboardExportButton::askCurves()
{
    const QString path = chooseFile(tr("Export visible curves"), QStringLiteral("curves.csv"), tr("CSV (*.csv)"));
    if (!path.isEmpty())
        report(path, exportVisibleCurves(path));
}

void DashboardExportButton::askConfiguration()
{
    const QString run = m_dashboard->currentRun();
    const QString path = chooseFile(tr("Export configuration"), run + QStringLiteral("-configuration.txt"), tr("Text (*.txt)"));
    if (!path.isEmpty())
        Q_EMIT configurationRequested(run, path);
}

void DashboardExportButton::configurationSaved(const QString &path, const Error &error)
{
    report(path, error.code == ErrorCode::None ? Result<void>() : Result<void>(error));
}

} // namespace rdt
