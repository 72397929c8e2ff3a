// Written through QSaveFile: a failed export leaves nothing under the chosen name.
#include "ConfigurationExport.h"

#include "DashboardController.h"
#include "DashboardExportButton.h"
#include "RunExportReader.h"
#include "SshClient.h"

#include <QSaveFile>

namespace rdt {

ConfigurationExport::ConfigurationExport(DashboardController *controller, DashboardExportButton *button, QObject *parent)
    : QObject(parent), m_controller(controller), m_button(button)
{
    connect(button, &DashboardExportButton::configurationRequested, this, &ConfigurationExport::start);
}

void ConfigurationExport::start(const QString &run, const QString &path)
{
    SshClient *client = m_controller->client();
    if (!client || !client->isConnected()) {
        m_button->configurationSaved(path, makeError(ErrorCode::ConnectionLost,
                                                     tr("export the configuration of %1: not connected to the server").arg(run)));
        return;
    }
    if (m_reader)
        m_reader->deleteLater();
    m_reader = new RunExportReader(client, this);
    RunExportReader *reader = m_reader;
    connect(reader, &RunExportReader::finished, this, [this, reader, path] {
        reader->deleteLater();
        if (reader->error().code != ErrorCode::None)
            return m_button->configurationSaved(path, reader->error());
        QSaveFile file(path);
        const QByteArray text = reader->configuration().toText().toUtf8();
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
            return m_button->configurationSaved(path, makeError(ErrorCode::LocalIo, tr("write %1: %2").arg(path, file.errorString())));
        m_button->configurationSaved(path, {});
    });
    const QString host = client->route().target.alias.isEmpty() ? client->route().target.hostName : client->route().target.alias;
    reader->start(host, m_controller->remoteRoot(), run, RunExportReader::Configuration);
}

} // namespace rdt
