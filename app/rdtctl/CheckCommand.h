// `rdtctl check HOST --root DIR [--json]`: the server checklist (GPUs, disk, trainer,
// folders, pretrained model, tmux, CPU, memory, OS), each item ok / warning / failed.
#pragma once

#include "CliOptions.h"

namespace rdt {

int runCheckCommand(const CliOptions &options);

} // namespace rdt
