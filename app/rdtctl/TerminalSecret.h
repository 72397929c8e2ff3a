// Reads a passphrase, password or server question from the terminal, with echo off as ssh
// does. A signal that ends rdtctl meanwhile (Ctrl-C, a hang-up, kill) first puts the
// terminal's settings back, so the shell is never left without echo.
#pragma once

#include "SshQuestions.h"

#include <QByteArray>

#include <optional>

namespace rdt {

class TerminalSecret {
public:
    // One line from /dev/tty after the prompt; nullopt without a terminal. The caller wipes
    // the answer after use; nothing else keeps a copy.
    static std::optional<QByteArray> read(const SecretPrompt &prompt);
};

} // namespace rdt
