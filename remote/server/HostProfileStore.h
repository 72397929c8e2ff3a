// The saved host profiles, kept with QSettings (group "profiles", one array entry per
// profile) and written through on every change, with names kept unique.
#pragma once

#include "HostProfile.h"
#include "Result.h"

#include <QList>
#include <QString>

#include <memory>

class QSettings;

namespace rdt {

class SshConfig;

// Not thread-safe: one store per thread (the GUI's). Not copyable, since it owns its
// QSettings.
class HostProfileStore {
public:
    // The application's own settings (organization and application name of the program).
    HostProfileStore();
    // An INI file of its own, for tests and for `--settings FILE` style use.
    explicit HostProfileStore(const QString &iniFile);
    // Takes ownership of the given settings object.
    explicit HostProfileStore(std::unique_ptr<QSettings> settings);
    ~HostProfileStore();
    HostProfileStore(const HostProfileStore &) = delete;
    HostProfileStore &operator=(const HostProfileStore &) = delete;

    // Reads the profiles from the settings, replacing those in memory. A hand-edited file
    // with two profiles of one name keeps both, the later one renamed as a copy, so that
    // nothing is lost on the next write.
    [[nodiscard]] Result<void> load();

    QList<HostProfile> profiles() const { return m_profiles; }
    // nullptr when there is none of that name; valid until the next change.
    const HostProfile *find(const QString &name) const;
    bool contains(const QString &name) const { return find(name) != nullptr; }

    // Adds the profile (previousName empty) or replaces the one called previousName, which
    // renames it when the names differ. Another profile of the same name is an error that
    // names it, as is a previousName that is not saved.
    [[nodiscard]] Result<void> save(const HostProfile &profile, const QString &previousName = {});
    [[nodiscard]] Result<void> rename(const QString &from, const QString &to);
    [[nodiscard]] Result<void> remove(const QString &name);
    // Saves a copy called "NAME (copy)" ("NAME (copy 2)", … when taken) and returns it.
    [[nodiscard]] Result<HostProfile> duplicate(const QString &name);

    // A free name for a copy of `name`, as duplicate() would choose it.
    QString copyName(const QString &name) const;

    // The settings file, for messages.
    QString fileName() const;

    // One suggested profile per concrete Host alias of the configuration (patterns such as
    // `Host *` and `Host gpu*` are skipped), its jump chain filled in from ProxyJump. An
    // alias that does not resolve (a ProxyJump loop, a bad token) is left out: a
    // profile made from it could not connect.
    static QList<HostProfile> fromSshConfigAliases(const SshConfig &config);

private:
    [[nodiscard]] Result<void> write();
    int indexOf(const QString &name) const;

    std::unique_ptr<QSettings> m_settings;
    QList<HostProfile> m_profiles;
};

} // namespace rdt
