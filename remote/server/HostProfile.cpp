// Validation of a host profile and its resolution into an SshRoute through ssh_config.
#include "HostProfile.h"

#include "SshConfig.h"

#include <QDir>

namespace rdt {

namespace {

// Identity paths are written by hand as often as picked in a dialog; `~` means the home
// here as it does in ssh_config.
QString expandHome(const QString &path)
{
    if (path == QLatin1String("~"))
        return QDir::homePath();
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

} // namespace

bool HostProfile::operator==(const HostProfile &other) const
{
    return name == other.name && host == other.host && jumps == other.jumps && user == other.user
        && port == other.port && identityFile == other.identityFile && remoteRoot == other.remoteRoot
        && localDatasetPath == other.localDatasetPath && localModelPath == other.localModelPath
        && libtorchFolder == other.libtorchFolder;
}

Result<void> HostProfile::validate() const
{
    const QString which = name.trimmed().isEmpty() ? QStringLiteral("host profile")
                                                   : QStringLiteral("host profile '%1'").arg(name);
    if (name.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: the name is empty").arg(which));
    if (host.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1: the host is empty (an ssh_config alias or user@host)").arg(which));
    if (port < 0 || port > 65535)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1: port %2 is outside 0-65535").arg(which).arg(port));
    return {};
}

Result<SshRoute> HostProfile::toRoute(const SshConfig &config) const
{
    if (Result<void> valid = validate(); !valid)
        return valid.error();
    Result<SshRoute> resolved = config.resolve(host.trimmed(), jumps);
    if (!resolved)
        return makeError(resolved.error().code,
                         QStringLiteral("host profile '%1': %2").arg(name, resolved.error().message));
    SshRoute route = resolved.value();
    if (!user.isEmpty())
        route.target.user = user;
    if (port > 0)
        route.target.port = port;
    if (!identityFile.isEmpty()) {
        const QString identity = expandHome(identityFile);
        auto prepend = [&identity](SshHost &hop) {
            hop.identityFiles.removeAll(identity);
            hop.identityFiles.prepend(identity);
        };
        for (SshHost &jump : route.jumps)
            prepend(jump);
        prepend(route.target);
    }
    return route;
}

} // namespace rdt
