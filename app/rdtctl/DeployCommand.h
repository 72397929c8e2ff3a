// `rdtctl deploy HOST --root DIR [--libtorch DIR] [--force] [--cmake-arg ARG]... [--env NAME=VALUE]...`:
// builds this workbench's rdt-trainer on the server and installs it as ROOT/bin/rdt-trainer,
// or says the server's trainer is already this version. Exit status: 0 installed or up to
// date, 1 failed (one line says what), 2 bad usage, 130 interrupted, 255 no connection.
#pragma once

#include "CliOptions.h"

namespace rdt {

int runDeployCommand(const CliOptions &options);

} // namespace rdt
