// The server probe's checks of what is installed: rdt-trainer, the remote root's folders,
// the pretrained model, tmux. Each takes its probe sections (null: the output lacks one)
// and returns one checklist item.
#pragma once

#include "ProbeCheck.h"
#include "ServerProbe.h"

#include <QList>

namespace rdt {

class InstallChecks : public ProbeCheck {
public:
    // found: where the trainer is; info: what `rdt-trainer info --json` printed. gpuCount:
    // what nvidia-smi listed, to tell a CPU-only LibTorch on a GPU server.
    static CheckItem trainer(const ProbeSection *found, const ProbeSection *info,
                             const QString &root, int gpuCount,
                             const ServerProbeExpectations &expectations);
    static CheckItem rootFolders(const ProbeSection *section);
    // search: where the probe looked; models: one section per candidate folder.
    static CheckItem models(const ProbeSection *search, const QList<const ProbeSection *> &models,
                            const QString &root);
    static CheckItem tmux(const ProbeSection *section);
};

} // namespace rdt
