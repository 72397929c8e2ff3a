// A ProxyCommand as ssh runs it: `$SHELL -c "exec COMMAND"` with its standard input and
// output on one end of a socket pair, whose other end carries the SSH session; its
// standard error is kept for the message when the connection fails.
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

#include <memory>

#include <sys/types.h>

namespace rdt {

class ProxyCommandProcess {
public:
    // Starts `command` (tokens already expanded); `hostName` is for messages.
    [[nodiscard]] static Result<std::unique_ptr<ProxyCommandProcess>> start(const QString &command,
                                                                           const QString &hostName);
    // Ends the command (SIGTERM, then SIGKILL after a moment) and reaps it.
    ~ProxyCommandProcess();

    ProxyCommandProcess(const ProxyCommandProcess &) = delete;
    ProxyCommandProcess &operator=(const ProxyCommandProcess &) = delete;

    // Our end of the socket pair, to hand to libssh (SSH_OPTIONS_FD); the session closes it.
    int takeSessionFd();

    // "ProxyCommand 'cmd' exited with status 1: <its stderr>" or, while it runs, its
    // stderr so far; for the message of a failed connection.
    QString describeFailure();

private:
    ProxyCommandProcess(QString command, pid_t pid, int sessionFd, int stderrFd);
    void readStderr();

    QString m_command;
    pid_t m_pid = -1;
    int m_sessionFd = -1;
    int m_stderrFd = -1;
    QByteArray m_stderr;
    int m_exitStatus = -1;   // set once reaped
};

} // namespace rdt
