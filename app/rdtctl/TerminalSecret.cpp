// The echo is restored from a signal handler with tcsetattr(), which is async-signal-safe;
// the handler then re-raises the signal with its default action, so rdtctl still ends the
// way the signal means (exit status 130 for Ctrl-C).
#include "TerminalSecret.h"

#include <QString>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace rdt {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
// The longest answer read; a longer line is cut there (OpenSSH allows 1 KiB).
constexpr qsizetype kMaxAnswer = 4096;

volatile sig_atomic_t g_tty = -1;   // the terminal whose settings the handler restores
termios g_saved{};

void restoreAndReraise(int signal)
{
    if (g_tty >= 0) {
        tcsetattr(g_tty, TCSAFLUSH, &g_saved);
        [[maybe_unused]] ssize_t written = write(g_tty, "\n", 1);
    }
    std::signal(signal, SIG_DFL);
    raise(signal);
}

// Echo off for as long as it lives, and handlers that restore it if a signal ends us.
class QuietTerminal {
public:
    QuietTerminal(int tty, const termios &saved)
    {
        g_saved = saved;
        g_tty = tty;
        struct sigaction action {};
        action.sa_handler = restoreAndReraise;
        sigemptyset(&action.sa_mask);
        for (size_t i = 0; i < std::size(kSignals); ++i)
            sigaction(kSignals[i], &action, &m_previous[i]);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(tty, TCSAFLUSH, &quiet);
    }
    ~QuietTerminal()
    {
        tcsetattr(g_tty, TCSAFLUSH, &g_saved);
        [[maybe_unused]] ssize_t written = write(g_tty, "\n", 1);
        g_tty = -1;
        for (size_t i = 0; i < std::size(kSignals); ++i)
            sigaction(kSignals[i], &m_previous[i], nullptr);
    }
    QuietTerminal(const QuietTerminal &) = delete;
    QuietTerminal &operator=(const QuietTerminal &) = delete;

private:
    struct sigaction m_previous[std::size(kSignals)] {};
};

} // namespace

std::optional<QByteArray> TerminalSecret::read(const SecretPrompt &prompt)
{
    const int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty < 0)
        return std::nullopt;
    const QByteArray text = QStringLiteral("%1 (%2): ").arg(prompt.prompt, prompt.host).toLocal8Bit();
    [[maybe_unused]] ssize_t written = write(tty, text.constData(), text.size());
    termios saved{};
    std::optional<QuietTerminal> quiet;
    if (tcgetattr(tty, &saved) == 0 && !prompt.echo)
        quiet.emplace(tty, saved);
    // Reserved once, so that growing never leaves a copy of the secret in freed memory.
    QByteArray answer;
    answer.reserve(kMaxAnswer);
    char c = 0;
    while (::read(tty, &c, 1) == 1 && c != '\n') {
        if (answer.size() < kMaxAnswer)
            answer.append(c);
    }
    c = 0;
    quiet.reset();
    close(tty);
    return answer;
}

} // namespace rdt
