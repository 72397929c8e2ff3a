// `rdtctl config HOST`: the ssh_config options the workbench resolved for HOST, printed
// as `ssh -G HOST` prints them, then the keywords it ignores for that host.
#pragma once

#include "CliOptions.h"

namespace rdt {

int runConfigCommand(const CliOptions &options);

// The system ssh_config read after the user's: /etc/ssh/ssh_config, or
// $RDT_SSH_SYSTEM_CONFIG when set (tests point it at their own file; empty reads none).
QString systemSshConfigFile();

} // namespace rdt
