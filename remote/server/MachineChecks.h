// The server probe's checks of the machine: GPUs, free disk, CPU, memory, operating system.
// Each takes its probe section (null: the output lacks it) and returns one checklist item.
#pragma once

#include "ProbeCheck.h"
#include "ServerProbe.h"

namespace rdt {

class MachineChecks : public ProbeCheck {
public:
    static CheckItem gpus(const ProbeSection *section);
    // The GPU item of a CPU-only server (the sandbox): what was found, marked as expected.
    static CheckItem noGpusExpected(const CheckItem &gpus);
    static CheckItem disk(const ProbeSection *section, const ServerProbeExpectations &expectations);
    static CheckItem cpu(const ProbeSection *section, const ServerProbeExpectations &expectations);
    static CheckItem memory(const ProbeSection *section,
                            const ServerProbeExpectations &expectations);
    static CheckItem os(const ProbeSection *section);
};

} // namespace rdt
