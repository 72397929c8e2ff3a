// Byte streams attached to a remote command instead of signals: a source for its standard
// input and a sink for its standard output. They are called on the connection's thread
// only, while the command runs, so a 1 GB transfer never travels through queued signals
// or the GUI thread; the caller reads their state after RemoteProcess::finished().
#pragma once

#include <QString>

namespace rdt {

class CommandInput {
public:
    virtual ~CommandInput() = default;
    // Up to maxBytes into buffer; 0 at the end; -1 on error (errorString() says why).
    virtual qint64 read(char *buffer, qint64 maxBytes) = 0;
    virtual QString errorString() const = 0;
};

class CommandOutput {
public:
    virtual ~CommandOutput() = default;
    // All of it, or false (errorString() says why, e.g. "no space left on device").
    virtual bool write(const char *data, qint64 size) = 0;
    virtual QString errorString() const = 0;
};

} // namespace rdt
