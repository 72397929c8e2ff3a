// Reading and writing host profiles as QSettings array entries, and suggestions made from
// the Host aliases of ssh_config.
#include "HostProfileStore.h"

#include "SshConfig.h"

#include <QFileInfo>
#include <QSettings>

namespace rdt {

namespace {

// The settings layout: profiles/size, profiles/1/name, profiles/1/host, … (QSettings
// arrays count from 1). Renaming a key here orphans every user's saved profiles.
const QString kGroup = QStringLiteral("profiles");

QString settingsStatusText(QSettings::Status status)
{
    switch (status) {
    case QSettings::NoError: return QStringLiteral("no error");
    case QSettings::AccessError: return QStringLiteral("access denied");
    case QSettings::FormatError: return QStringLiteral("not a valid settings file");
    }
    return QStringLiteral("unknown error");
}

// QSettings keeps one status for all the files it consults, and without an organization
// name it reports AccessError for good (its "Unknown Organization" fallback files) while the
// application's own file reads and writes fine. So an access error counts only when the
// file itself cannot be used.
bool failed(QSettings::Status status, bool fileUsable)
{
    return status == QSettings::FormatError || (status == QSettings::AccessError && !fileUsable);
}

// A jump hop written the shortest way that resolves to the same place: the alias alone
// when ssh_config gives it this user and port anyway, else with the parts that differ.
QString jumpSpec(const SshHost &hop, const SshConfig &config)
{
    const Result<SshHost> plain = config.resolveHost(hop.alias);
    QString spec = hop.alias;
    if (spec.contains(QLatin1Char(':')))
        spec = QStringLiteral("[%1]").arg(spec);  // an IPv6 address
    if (!plain || plain->user != hop.user) {
        if (!hop.user.isEmpty())
            spec.prepend(hop.user + QLatin1Char('@'));
    }
    if (!plain || plain->port != hop.port)
        spec += QStringLiteral(":%1").arg(hop.port);
    return spec;
}

} // namespace

HostProfileStore::HostProfileStore() : m_settings(std::make_unique<QSettings>()) {}

HostProfileStore::HostProfileStore(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{
}

HostProfileStore::HostProfileStore(std::unique_ptr<QSettings> settings) : m_settings(std::move(settings))
{
    Q_ASSERT(m_settings);
}

HostProfileStore::~HostProfileStore() = default;

QString HostProfileStore::fileName() const { return m_settings->fileName(); }

Result<void> HostProfileStore::load()
{
    // Picks up what another process wrote since the settings were opened.
    const QFileInfo file(fileName());
    if (file.exists())
        m_settings->sync();
    if (failed(m_settings->status(), !file.exists() || file.isReadable()))  // none yet: nothing saved
        return makeError(ErrorCode::LocalIo, QStringLiteral("read host profiles from %1: %2")
                                                 .arg(fileName(), settingsStatusText(m_settings->status())));
    QList<HostProfile> loaded;
    const int count = m_settings->beginReadArray(kGroup);
    for (int i = 0; i < count; ++i) {
        m_settings->setArrayIndex(i);
        HostProfile profile;
        profile.name = m_settings->value(QStringLiteral("name")).toString().trimmed();
        profile.host = m_settings->value(QStringLiteral("host")).toString();
        profile.jumps = m_settings->value(QStringLiteral("jumps")).toStringList();
        profile.jumps.removeAll(QString());  // an empty list may read back as one empty string
        profile.user = m_settings->value(QStringLiteral("user")).toString();
        profile.port = m_settings->value(QStringLiteral("port"), 0).toInt();
        profile.identityFile = m_settings->value(QStringLiteral("identityFile")).toString();
        profile.remoteRoot = m_settings->value(QStringLiteral("remoteRoot"), HostProfile::defaultRemoteRoot()).toString();
        profile.localDatasetPath = m_settings->value(QStringLiteral("localDatasetPath")).toString();
        profile.localModelPath = m_settings->value(QStringLiteral("localModelPath")).toString();
        profile.libtorchFolder = m_settings->value(QStringLiteral("libtorchFolder")).toString();
        loaded.append(profile);
    }
    m_settings->endArray();

    m_profiles.clear();
    for (HostProfile &profile : loaded) {
        if (profile.name.isEmpty())
            profile.name = profile.host.isEmpty() ? QStringLiteral("unnamed") : profile.host;
        if (contains(profile.name))
            profile.name = copyName(profile.name);
        m_profiles.append(profile);
    }
    return {};
}

const HostProfile *HostProfileStore::find(const QString &name) const
{
    const int index = indexOf(name);
    return index < 0 ? nullptr : &m_profiles.at(index);
}

int HostProfileStore::indexOf(const QString &name) const
{
    for (int i = 0; i < m_profiles.size(); ++i)
        if (m_profiles.at(i).name == name)
            return i;
    return -1;
}

Result<void> HostProfileStore::save(const HostProfile &profile, const QString &previousName)
{
    HostProfile cleaned = profile;
    cleaned.name = profile.name.trimmed();
    cleaned.host = profile.host.trimmed();
    if (Result<void> valid = cleaned.validate(); !valid)
        return valid;
    int replaced = -1;
    if (!previousName.isEmpty()) {
        replaced = indexOf(previousName);
        if (replaced < 0)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("save host profile '%1': there is no profile named '%2' in %3")
                                 .arg(cleaned.name, previousName, fileName()));
    }
    const int clash = indexOf(cleaned.name);
    if (clash >= 0 && clash != replaced)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("save host profile '%1': a profile of that name already exists "
                                        "in %2; choose another name")
                             .arg(cleaned.name, fileName()));
    const QList<HostProfile> before = m_profiles;
    if (replaced >= 0)
        m_profiles[replaced] = cleaned;
    else
        m_profiles.append(cleaned);
    Result<void> written = write();
    if (!written)
        m_profiles = before;  // memory keeps matching the file
    return written;
}

Result<void> HostProfileStore::rename(const QString &from, const QString &to)
{
    const HostProfile *existing = find(from);
    if (!existing)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("rename host profile '%1' to '%2': there is no profile named '%1' in %3")
                             .arg(from, to, fileName()));
    HostProfile renamed = *existing;
    renamed.name = to;
    return save(renamed, from);
}

Result<void> HostProfileStore::remove(const QString &name)
{
    const int index = indexOf(name);
    if (index < 0)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("delete host profile '%1': there is no profile of that name in %2")
                             .arg(name, fileName()));
    const QList<HostProfile> before = m_profiles;
    m_profiles.removeAt(index);
    Result<void> written = write();
    if (!written)
        m_profiles = before;
    return written;
}

QString HostProfileStore::copyName(const QString &name) const
{
    QString candidate = QStringLiteral("%1 (copy)").arg(name);
    for (int n = 2; contains(candidate); ++n)
        candidate = QStringLiteral("%1 (copy %2)").arg(name).arg(n);
    return candidate;
}

Result<HostProfile> HostProfileStore::duplicate(const QString &name)
{
    const HostProfile *existing = find(name);
    if (!existing)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("duplicate host profile '%1': there is no profile of that name in %2")
                             .arg(name, fileName()));
    HostProfile copy = *existing;
    copy.name = copyName(name);
    if (Result<void> saved = save(copy); !saved)
        return saved.error();
    return copy;
}

Result<void> HostProfileStore::write()
{
    m_settings->remove(kGroup);
    m_settings->beginWriteArray(kGroup, int(m_profiles.size()));
    for (int i = 0; i < m_profiles.size(); ++i) {
        const HostProfile &profile = m_profiles.at(i);
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("name"), profile.name);
        m_settings->setValue(QStringLiteral("host"), profile.host);
        m_settings->setValue(QStringLiteral("jumps"), profile.jumps);
        m_settings->setValue(QStringLiteral("user"), profile.user);
        m_settings->setValue(QStringLiteral("port"), profile.port);
        m_settings->setValue(QStringLiteral("identityFile"), profile.identityFile);
        m_settings->setValue(QStringLiteral("remoteRoot"), profile.remoteRoot);
        m_settings->setValue(QStringLiteral("localDatasetPath"), profile.localDatasetPath);
        m_settings->setValue(QStringLiteral("localModelPath"), profile.localModelPath);
        m_settings->setValue(QStringLiteral("libtorchFolder"), profile.libtorchFolder);
    }
    m_settings->endArray();
    m_settings->sync();
    const QFileInfo file(fileName());
    if (failed(m_settings->status(), file.exists() && file.isWritable()))
        return makeError(ErrorCode::LocalIo, QStringLiteral("write host profiles to %1: %2")
                                                 .arg(fileName(), settingsStatusText(m_settings->status())));
    return {};
}

QList<HostProfile> HostProfileStore::fromSshConfigAliases(const SshConfig &config)
{
    QList<HostProfile> suggestions;
    for (const QString &alias : config.hostAliases()) {
        const Result<SshRoute> route = config.resolve(alias);
        if (!route)
            continue;
        HostProfile profile;
        profile.name = alias;
        profile.host = alias;
        // User, port and identity stay empty: ssh_config supplies them, and keeps doing so
        // when the user edits the file later.
        for (const SshHost &jump : route->jumps)
            profile.jumps.append(jumpSpec(jump, config));
        suggestions.append(profile);
    }
    return suggestions;
}

} // namespace rdt
