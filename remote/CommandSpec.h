// What to run on the server and how: an argument vector (quoted for the remote shell by
// us, never pasted), environment variables, a deadline, and optional standard input.
#pragma once

#include "ShellQuote.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>

namespace rdt {

struct CommandSpec {
    QList<QByteArray> argv;
    EnvironmentList environment;
    int timeoutMs = 0;            // 0: no deadline
    QByteArray standardInput;     // sent, then end-of-file
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::CommandSpec)
