// What to run on the server and how: an argument vector (quoted for the remote shell by
// us, never pasted), environment variables, a deadline, and optional standard input.
#pragma once

#include "CommandStreams.h"
#include "ShellQuote.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>

#include <memory>

namespace rdt {

struct CommandSpec {
    QList<QByteArray> argv;
    EnvironmentList environment;
    int timeoutMs = 0;            // 0: no deadline
    // Runs until cancelled (a follower, a monitor): the connection keeps a few of its
    // channels for commands that end on their own, which such commands never take.
    bool longLived = false;
    QByteArray standardInput;     // sent, then end-of-file (ignored when input is set)
    // Optional streams, used on the connection's thread (see CommandStreams.h): input is
    // sent as standard input until it ends; output receives standard output, which then
    // does not reach RemoteProcess::standardOutput.
    std::shared_ptr<CommandInput> input;
    std::shared_ptr<CommandOutput> output;
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::CommandSpec)
