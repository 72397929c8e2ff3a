// What the connection may need to ask the user, and how the answers come back. The
// connection thread calls these functions; the GUI answers with a dialog (through a
// blocking queued call into the GUI thread), rdtctl from its flags or the terminal.
// An unset function means "no answer": the question is declined.
#pragma once

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

namespace rdt {

struct HostKeyQuestion {
    QString host;          // as the user knows it, e.g. "jump01 (192.0.2.2)"
    QString keyType;       // "ssh-ed25519"
    QString fingerprint;   // "SHA256:..."
    QString knownHostsFile;
};

enum class HostKeyAnswer { Reject, AcceptOnce, AcceptAndRemember };

struct SecretPrompt {
    // Which secret: the two look alike in a dialog, but a key's passphrase never leaves
    // this computer while the others go to the server.
    enum class Kind {
        KeyPassphrase,    // unlocks a local private key
        ServerQuestion,   // keyboard-interactive: the server's own prompt (a password, a code)
        Password,         // the user's password on the server
    };
    Kind kind = Kind::KeyPassphrase;
    QString host;
    QString prompt;   // whole sentence: says which of the three it is and, for a key, which file
    bool echo = false;
};

struct SshQuestions {
    std::function<HostKeyAnswer(const HostKeyQuestion &)> unknownHostKey;
    // Passphrases and passwords: returned bytes are used once and never stored.
    std::function<std::optional<QByteArray>(const SecretPrompt &)> secret;
};

} // namespace rdt
