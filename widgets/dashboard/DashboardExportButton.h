// The dashboard's Export menu, beside the plot controls: the plot as PNG, SVG or PDF (at
// the size shown or one given), the current run's metrics as CSV, the curves the plot shows
// as CSV, and the run's configuration as a text file. Plot and CSV come from what the
// dashboard holds; the configuration needs the server, so it is asked for with a signal
// (the app reads it with RunExportReader) and the outcome comes back to configurationSaved().
#pragma once

#include "Result.h"

#include <QToolButton>

#include <functional>

namespace rdt {

class RunDashboard;

class DashboardExportButton : public QToolButton {
    Q_OBJECT
public:
    explicit DashboardExportButton(RunDashboard *dashboard, QWidget *parent = nullptr);

    // What the menu's items do once a file is chosen; also what the tests call.
    [[nodiscard]] Result<void> exportPlot(const QString &path, QSize size = {});
    [[nodiscard]] Result<void> exportMetrics(const QString &run, const QString &path);
    [[nodiscard]] Result<void> exportVisibleCurves(const QString &path);

    // Where save dialogs start; the last folder used, else the home folder.
    QString lastFolder() const { return m_lastFolder; }
    // Replaces the save-file question (tests answer it without a dialog).
    void setFileChooser(std::function<QString(const QString &title, const QString &suggested, const QString &filter)> chooser)
    {
        m_chooseFile = std::move(chooser);
    }

public slots:
    // The app's answer to configurationRequested().
    void configurationSaved(const QString &path, const rdt::Error &error);

signals:
    void configurationRequested(const QString &run, const QString &path);
    // Every export's outcome, for the status bar and the tests.
    void exported(const QString &path);
    void exportFailed(const QString &message);

private:
    void updateMenu();
    void askPlot();
    void askMetrics();
    void askCurves();
    void askConfiguration();
    QString chooseFile(const QString &title, const QString &name, const QString &filter);
    void report(const QString &path, const Result<void> &result);

    RunDashboard *m_dashboard;
    QString m_lastFolder;
    std::function<QString(const QString &, const QString &, const QString &)> m_chooseFile;
    QAction *m_plotAction;
    QAction *m_metricsAction;
    QAction *m_curvesAction;
    QAction *m_configurationAction;
};

} // namespace rdt
