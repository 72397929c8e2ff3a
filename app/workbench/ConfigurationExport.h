// The dashboard's "Configuration of RUN…" export: reads the run's flags, environment,
// run.yaml and input MD5s over the dashboard's connection (RunExportReader) and writes the
// text file, then tells the export button how it went.
#pragma once

#include <QObject>
#include <QPointer>

namespace rdt {

class DashboardController;
class DashboardExportButton;
class RunExportReader;

class ConfigurationExport : public QObject {
    Q_OBJECT
public:
    // Both outlive this (the controller is usually its parent).
    ConfigurationExport(DashboardController *controller, DashboardExportButton *button, QObject *parent = nullptr);

private:
    void start(const QString &run, const QString &path);

    DashboardController *m_controller;
    DashboardExportButton *m_button;
    QPointer<RunExportReader> m_reader;   // one at a time; a new request replaces it
};

} // namespace rdt
