// The header is matched at the start of a line only: a banner line that merely contains the
// tag is not taken for it.
#include "ScriptAnswer.h"

namespace rdt {

QByteArray ScriptAnswer::printHeader(const QByteArray &tag)
{
    return QByteArrayLiteral("printf '\\n%s\\n' '") + tag + QByteArrayLiteral("'\n");
}

std::optional<QByteArray> ScriptAnswer::after(const QByteArray &output, const QByteArray &tag)
{
    const QByteArray line = tag + '\n';
    qsizetype at = 0;
    while (at < output.size()) {
        if (output.mid(at, line.size()) == line)
            return output.mid(at + line.size());
        const qsizetype newline = output.indexOf('\n', at);
        if (newline < 0)
            break;
        at = newline + 1;
    }
    return std::nullopt;
}

} // namespace rdt
