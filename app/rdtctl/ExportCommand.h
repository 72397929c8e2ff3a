// rdtctl export: a run's metrics as CSV and its configuration as a text file, the same
// files the dashboard's Export menu writes. Exit status: 0 done, 1 the export failed (the
// message says why), 2 bad usage, 255 no connection.
#pragma once

#include "CliOptions.h"

namespace rdt {

int runExportCommand(const CliOptions &options);   // export HOST --root DIR NAME [--csv FILE] [--config FILE]

} // namespace rdt
