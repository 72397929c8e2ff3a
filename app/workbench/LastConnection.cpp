// QSettings group "lastConnection".
#include "LastConnection.h"

#include "WizardSession.h"

#include <QFileInfo>
#include <QSettings>

namespace rdt {

namespace {
const QString kGroup = QStringLiteral("lastConnection");
}

void LastConnection::save(const WizardSession &session)
{
    QSettings settings;
    settings.beginGroup(kGroup);
    settings.setValue(QStringLiteral("host"), session.profile.host);
    settings.setValue(QStringLiteral("jumps"), session.profile.jumps);
    settings.setValue(QStringLiteral("user"), session.profile.user);
    settings.setValue(QStringLiteral("port"), session.profile.port);
    settings.setValue(QStringLiteral("identityFile"), session.profile.identityFile);
    settings.setValue(QStringLiteral("remoteRoot"), session.profile.remoteRoot);
    settings.setValue(QStringLiteral("localDataset"), session.profile.localDatasetPath);
    settings.setValue(QStringLiteral("localModel"), session.profile.localModelPath);
    settings.setValue(QStringLiteral("libtorchFolder"), session.profile.libtorchFolder);
    settings.setValue(QStringLiteral("profileName"), session.profile.name);
    settings.setValue(QStringLiteral("sshConfigFile"), session.sshConfigFile);
}

void LastConnection::forget()
{
    QSettings().remove(kGroup);
}

std::optional<LastConnection::Saved> LastConnection::load()
{
    QSettings settings;
    settings.beginGroup(kGroup);
    Saved saved;
    saved.profile.host = settings.value(QStringLiteral("host")).toString();
    if (saved.profile.host.isEmpty())
        return std::nullopt;
    saved.sshConfigFile = settings.value(QStringLiteral("sshConfigFile")).toString();
    if (!saved.sshConfigFile.isEmpty() && !QFileInfo::exists(saved.sshConfigFile))
        return std::nullopt;
    saved.profile.name = settings.value(QStringLiteral("profileName")).toString();
    saved.profile.jumps = settings.value(QStringLiteral("jumps")).toStringList();
    saved.profile.user = settings.value(QStringLiteral("user")).toString();
    saved.profile.port = settings.value(QStringLiteral("port"), 0).toInt();
    saved.profile.identityFile = settings.value(QStringLiteral("identityFile")).toString();
    saved.profile.remoteRoot = settings.value(QStringLiteral("remoteRoot"), HostProfile::defaultRemoteRoot()).toString();
    saved.profile.localDatasetPath = settings.value(QStringLiteral("localDataset")).toString();
    saved.profile.localModelPath = settings.value(QStringLiteral("localModel")).toString();
    saved.profile.libtorchFolder = settings.value(QStringLiteral("libtorchFolder")).toString();
    return saved;
}

} // namespace rdt
