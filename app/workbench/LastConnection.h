// The server the setup wizard last connected to (a setting), so the workbench connects to
// it again when it starts: the dashboard is back on its runs without a walk through the
// wizard, and only what must be asked is asked (a passphrase, a key never seen). The
// sandbox is not remembered: `--sandbox` brings it back itself.
#pragma once

#include "HostProfile.h"

#include <optional>

namespace rdt {

class WizardSession;

class LastConnection {
public:
    struct Saved {
        HostProfile profile;
        QString sshConfigFile;   // empty: ~/.ssh/config
    };

    static void save(const WizardSession &session);
    static void forget();
    // Nothing when none was saved, or its own ssh_config file is gone.
    static std::optional<Saved> load();
};

} // namespace rdt
