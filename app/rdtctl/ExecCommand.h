// `rdtctl exec HOST -- CMD [ARG...]`: runs one command, passing its output and exit
// status through like ssh does.
#pragma once

#include "CliOptions.h"

namespace rdt {

int runExecCommand(const CliOptions &options);

} // namespace rdt
