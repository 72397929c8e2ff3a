// Lines before the header are a login shell's; the first line after it is the answer.
#include "LaunchAnswer.h"

#include "CollectedCommand.h"

namespace rdt {

Result<LaunchOutcome> readLaunchAnswer(const CollectedCommand &command, const QByteArray &header, const QString &what,
                                       const LaunchAnswerWording &wording)
{
    if (command.error().code != ErrorCode::None)
        return command.error();
    QList<QByteArray> lines = command.output().split('\n');
    const qsizetype headerAt = lines.indexOf(header);
    if (headerAt >= 0)
        lines = lines.mid(headerAt + 1);
    const QByteArray first = lines.value(0);
    const QByteArray rest = first.mid(first.indexOf(' ') + 1);
    if (headerAt < 0 || first.isEmpty())
        return command.withServerSaid(
            makeError(ErrorCode::RemoteFailed, QStringLiteral("%1: the launch script said nothing").arg(what)));
    if (first.startsWith("@started ")) {
        const QList<QByteArray> words = rest.split(' ');
        LaunchOutcome outcome;
        outcome.method = QString::fromUtf8(words.value(0));
        outcome.pid = words.value(1).toLongLong();
        outcome.folder = QString::fromUtf8(rest.mid(words.value(0).size() + words.value(1).size() + 2));
        return outcome;
    }
    if (first.startsWith("@died "))
        return makeError(ErrorCode::RemoteFailed, wording.died(rest, lines.mid(1)));
    if (first.startsWith("@timeout "))
        return makeError(ErrorCode::Timeout, wording.timedOut(rest));
    if (first.startsWith("@fail ") || first.startsWith("@no-root ")) {
        const QString reason = QString::fromUtf8(rest);
        return makeError(ErrorCode::RemoteFailed, first.startsWith("@no-root ")
                                                      ? QStringLiteral("%1: remote root: %2").arg(what, reason)
                                                      : QStringLiteral("%1: %2").arg(what, reason));
    }
    return makeError(ErrorCode::Protocol,
                     QStringLiteral("%1: unexpected output from the server: %2").arg(what, QString::fromUtf8(first.left(80))));
}

} // namespace rdt
