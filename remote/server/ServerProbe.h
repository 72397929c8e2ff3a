// Turns the output of the server probe script (ServerProbeScript) into the server checklist:
// GPUs, free disk, the trainer and its version, the remote root's folders, the pretrained
// model, tmux, CPU, memory and OS, each with a status, a one-line detail and a hint.
#pragma once

#include "CheckItem.h"
#include "Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace rdt {

// What the server should offer; the defaults suit fine-tuning RDT-1B.
struct ServerProbeExpectations {
    // Empty: this build's version (RDT_VERSION). A different rdt-trainer is a warning.
    QString trainerVersion;
    // A run of RDT-1B keeps checkpoints of about 20 GB (fp32 weights, EMA copy and AdamW
    // state); two of them plus a LIBERO dataset and eval videos fit in 50 GiB. Less is a
    // failure; within 10 % of it a warning (the margin eval videos and logs take).
    qint64 requiredFreeBytes = qint64(50) << 30;
    // False for a server that trains on its CPUs by design (the local sandbox): no GPU
    // there is what is expected, not a failure.
    bool gpusExpected = true;
    // Loading pytorch_model.bin (2.3 GB) takes a few copies in host memory next to the
    // data loader's workers.
    qint64 minimumMemoryBytes = qint64(32) << 30;
    // Data loading and video encoding run on the CPU.
    int minimumCpuCount = 8;
};

class ServerProbe {
public:
    // One item per check, in CheckId order from Gpus to OperatingSystem. A check whose
    // sub-command failed is an item with status Failed (no NVIDIA driver, no trainer), not
    // an error. An error means the output is not the probe's: no header line (the remote
    // shell is not POSIX, or sh is missing) or no end line (the connection or the script
    // died half-way); its message says which section was the last one seen.
    [[nodiscard]] static Result<QList<CheckItem>> parse(
        const QByteArray &output, const ServerProbeExpectations &expectations = {});
};

} // namespace rdt
