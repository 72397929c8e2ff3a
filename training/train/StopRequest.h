// A graceful stop on SIGINT or SIGTERM: the first signal only raises a flag, so the training
// loop can finish its step, write a checkpoint and say why it ended (the workbench's Stop
// sends SIGINT first); a second signal ends the process at once, as it would have without
// us, so a trainer that hangs can still be terminated.
#pragma once

#include <string>

namespace rdt {

class StopRequest {
public:
    // Installs the handlers; the destructor restores the ones before.
    StopRequest();
    ~StopRequest();
    StopRequest(const StopRequest &) = delete;
    StopRequest &operator=(const StopRequest &) = delete;

    bool requested() const;
    int signalNumber() const;       // 0 while no stop was requested
    std::string signalName() const; // "SIGINT", "SIGTERM"
};

} // namespace rdt
