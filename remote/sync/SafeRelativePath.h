// Which relative paths a listing may hand to the code that joins them to a root folder:
// no absolute paths, no empty, "." or ".." components, no NUL or line-break bytes. A
// server (or a local tree) listing anything else could make a sync write, rename or
// delete outside the folder it was asked about.
#pragma once

#include <QByteArray>
#include <QString>

namespace rdt {

class SafeRelativePath {
public:
    // Empty when `path` is safe to join to a root; otherwise why not ("a \"..\" component").
    [[nodiscard]] static QString problem(const QByteArray &path);
    [[nodiscard]] static QString problem(const QString &path) { return problem(path.toUtf8()); }
    // `path` in double quotes for an error message, control bytes escaped ("a\nb"), long
    // names shortened: a hostile name must not forge lines of its own in a log.
    [[nodiscard]] static QString quoted(const QByteArray &path);
    [[nodiscard]] static QString quoted(const QString &path) { return quoted(path.toUtf8()); }
};

} // namespace rdt
