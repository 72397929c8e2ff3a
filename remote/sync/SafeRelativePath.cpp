// SafeRelativePath: a byte-level check, before any decoding, so that no encoding trick
// turns a refused name into an accepted one.
#include "SafeRelativePath.h"

#include <QList>

namespace rdt {
namespace {

// Enough of a name to recognise it in a message.
constexpr int kQuotedBytes = 120;

} // namespace

QString SafeRelativePath::problem(const QByteArray &path)
{
    if (path.isEmpty())
        return QStringLiteral("an empty name");
    if (path.contains('\0'))
        return QStringLiteral("a NUL byte in the name");
    if (path.contains('\n') || path.contains('\r'))
        return QStringLiteral("a line break in the name");
    if (path.startsWith('/'))
        return QStringLiteral("an absolute path");
    for (const QByteArray &component : path.split('/')) {
        if (component.isEmpty())
            return QStringLiteral("an empty path component");
        if (component == ".")
            return QStringLiteral("a \".\" component");
        if (component == "..")
            return QStringLiteral("a \"..\" component");
    }
    return {};
}

QString SafeRelativePath::quoted(const QByteArray &path)
{
    QByteArray shown;
    for (char c : path.left(kQuotedBytes)) {
        const unsigned char byte = static_cast<unsigned char>(c);
        if (c == '\n')
            shown += "\\n";
        else if (c == '\r')
            shown += "\\r";
        else if (c == '\\' || c == '"')
            shown += QByteArray("\\") + c;
        else if (byte < 0x20 || byte == 0x7f)
            shown += "\\x" + QByteArray::number(byte, 16).rightJustified(2, '0');
        else
            shown += c;
    }
    if (path.size() > kQuotedBytes)
        shown += "...";
    return QLatin1Char('"') + QString::fromUtf8(shown) + QLatin1Char('"');
}

} // namespace rdt
