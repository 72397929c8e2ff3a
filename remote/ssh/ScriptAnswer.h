// The answer of a script run on the server, apart from what the server's shell printed
// before it. A login shell may print first (an rc file's echo, a banner without a final
// newline), so every script whose standard output is read prints a header line of its own
// first, and the reader takes what follows it.
#pragma once

#include <QByteArray>

#include <optional>

namespace rdt {

class ScriptAnswer {
public:
    // Shell text that prints the header for `tag` ("@rdt-tail 1"): a newline first, which
    // ends a banner that lacks one, so the header always starts a line.
    [[nodiscard]] static QByteArray printHeader(const QByteArray &tag);
    // The bytes after the header line for `tag`; nothing if it never came (the script did
    // not run, or its output was cut).
    [[nodiscard]] static std::optional<QByteArray> after(const QByteArray &output, const QByteArray &tag);
};

} // namespace rdt
