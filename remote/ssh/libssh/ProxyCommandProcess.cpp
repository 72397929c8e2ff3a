// Process plumbing for ProxyCommand: fork and exec with only async-signal-safe calls in the
// child (the workbench has threads), a socket pair for the session, a pipe for stderr.
#include "ProxyCommandProcess.h"

#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rdt {

namespace {

// What a ProxyCommand may write on stderr that we keep for messages; the rest is dropped.
constexpr int kMaxStderrBytes = 8192;

// How long a ProxyCommand gets to end after SIGTERM before SIGKILL.
constexpr int kTerminateGraceMs = 1000;

} // namespace

Result<std::unique_ptr<ProxyCommandProcess>> ProxyCommandProcess::start(const QString &command,
                                                                       const QString &hostName)
{
    // ssh's ssh_proxy_connect(): the user's shell, "exec" so the shell does not linger.
    QByteArray shell = qgetenv("SHELL");
    if (shell.isEmpty())
        shell = "/bin/sh";
    const QByteArray line = "exec " + command.toLocal8Bit();
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        return makeError(ErrorCode::LocalIo, QStringLiteral("ProxyCommand for %1: cannot create a socket pair: %2")
                                                 .arg(hostName, QString::fromLocal8Bit(std::strerror(errno))));
    int errorPipe[2];
    if (pipe2(errorPipe, O_CLOEXEC) != 0) {
        close(pair[0]);
        close(pair[1]);
        return makeError(ErrorCode::LocalIo, QStringLiteral("ProxyCommand for %1: cannot create a pipe: %2")
                                                 .arg(hostName, QString::fromLocal8Bit(std::strerror(errno))));
    }
    const char *argv[] = {shell.constData(), "-c", line.constData(), nullptr};
    const pid_t pid = fork();
    if (pid < 0) {
        for (int fd : {pair[0], pair[1], errorPipe[0], errorPipe[1]})
            close(fd);
        return makeError(ErrorCode::LocalIo, QStringLiteral("ProxyCommand for %1: cannot start it: %2")
                                                 .arg(hostName, QString::fromLocal8Bit(std::strerror(errno))));
    }
    if (pid == 0) {
        // Child: stdin and stdout on the pair, stderr into the pipe; dup2 clears CLOEXEC.
        dup2(pair[1], STDIN_FILENO);
        dup2(pair[1], STDOUT_FILENO);
        dup2(errorPipe[1], STDERR_FILENO);
        signal(SIGPIPE, SIG_DFL);
        execv(argv[0], const_cast<char *const *>(argv));
        _exit(127);
    }
    close(pair[1]);
    close(errorPipe[1]);
    fcntl(errorPipe[0], F_SETFL, fcntl(errorPipe[0], F_GETFL) | O_NONBLOCK);
    return std::unique_ptr<ProxyCommandProcess>(new ProxyCommandProcess(command, pid, pair[0], errorPipe[0]));
}

ProxyCommandProcess::ProxyCommandProcess(QString command, pid_t pid, int sessionFd, int stderrFd)
    : m_command(std::move(command)), m_pid(pid), m_sessionFd(sessionFd), m_stderrFd(stderrFd)
{
}

ProxyCommandProcess::~ProxyCommandProcess()
{
    if (m_sessionFd >= 0)
        close(m_sessionFd);
    if (m_pid > 0 && m_exitStatus < 0) {
        kill(m_pid, SIGTERM);
        int status = 0;
        for (int waited = 0; waited < kTerminateGraceMs; waited += 20) {
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                break;
            }
            usleep(20 * 1000);
        }
        if (m_pid > 0) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, &status, 0);
        }
    }
    if (m_stderrFd >= 0)
        close(m_stderrFd);
}

int ProxyCommandProcess::takeSessionFd()
{
    const int fd = m_sessionFd;
    m_sessionFd = -1;
    return fd;
}

void ProxyCommandProcess::readStderr()
{
    char buffer[1024];
    while (m_stderrFd >= 0) {
        const ssize_t n = read(m_stderrFd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        if (m_stderr.size() < kMaxStderrBytes)
            m_stderr.append(buffer, int(std::min<ssize_t>(n, kMaxStderrBytes - m_stderr.size())));
    }
}

QString ProxyCommandProcess::describeFailure()
{
    // A command that failed at once has exited by now; give it a moment to say why.
    int status = 0;
    for (int waited = 0; m_exitStatus < 0 && waited < 500; waited += 20) {
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        usleep(20 * 1000);
    }
    readStderr();
    const QString said = QString::fromLocal8Bit(m_stderr).trimmed();
    QString text = m_exitStatus >= 0 ? QStringLiteral("ProxyCommand '%1' exited with status %2").arg(m_command).arg(m_exitStatus)
                                     : QStringLiteral("ProxyCommand '%1' is running").arg(m_command);
    if (!said.isEmpty())
        text += QStringLiteral(": ") + said;
    return text;
}

} // namespace rdt
