// Header lines are split on spaces; data bytes are counted, never scanned for markers.
#include "FollowFrameDecoder.h"

namespace rdt {
namespace {

// The script sends at most 1 MiB per data frame; a larger announcement is corruption.
constexpr qint64 kMaxDataFrame = 1024 * 1024;
// A frame header is a few dozen bytes and a login banner's line a few hundred: a server
// that sends this much without a newline would otherwise grow the buffer without end.
constexpr qint64 kMaxLine = 64 * 1024;

bool toOffset(const QByteArray &text, qint64 *value)
{
    bool ok = false;
    *value = text.toLongLong(&ok);
    return ok && *value >= 0;
}

} // namespace

Result<QList<FollowFrame>> FollowFrameDecoder::feed(const QByteArray &output)
{
    QList<FollowFrame> frames;
    if (m_failed)
        return makeError(ErrorCode::Protocol, QStringLiteral("follow: output after a protocol error"));
    m_buffer += output;
    qint64 position = 0;
    auto fail = [this](const QString &why) {
        m_failed = true;
        return makeError(ErrorCode::Protocol, QStringLiteral("follow: unexpected output from the server: %1").arg(why));
    };
    while (position < m_buffer.size()) {
        if (m_dataMissing >= 0) {
            const qint64 take = qMin(m_dataMissing, m_buffer.size() - position);
            m_data.bytes += m_buffer.mid(position, take);
            position += take;
            m_dataMissing -= take;
            if (m_dataMissing > 0)
                break;
            m_dataMissing = -1;
            frames.append(std::move(m_data));
            m_data = {};
            continue;
        }
        const qint64 newline = m_buffer.indexOf('\n', position);
        if (newline < 0) {
            if (m_buffer.size() - position > kMaxLine)
                return fail(QStringLiteral("more than %1 bytes without a line break").arg(kMaxLine));
            break;
        }
        const QByteArray line = m_buffer.mid(position, newline - position);
        position = newline + 1;
        const QList<QByteArray> words = line.split(' ');
        const QByteArray &tag = words.first();
        if (!m_sawHeader) {
            m_sawHeader = tag == "@rdt-follow";
            if (m_sawHeader && words.value(1) != "1")
                return fail(QStringLiteral("follow protocol version %1, expected 1").arg(QString::fromUtf8(words.value(1))));
            continue;
        }
        FollowFrame frame;
        if (tag == "@data" && words.size() == 3) {
            qint64 length = 0;
            if (!toOffset(words[1], &frame.offset) || !toOffset(words[2], &length) || length > kMaxDataFrame)
                return fail(QString::fromUtf8(line.left(80)));
            m_data = frame;
            m_dataMissing = length;
            if (length == 0) {
                m_dataMissing = -1;
                frames.append(std::move(m_data));
                m_data = {};
            }
            continue;
        }
        if (tag == "@reset" && words.size() == 3) {
            frame.kind = FollowFrame::Kind::Reset;
            frame.reason = QString::fromUtf8(words[1]);
            frame.inode = words[2];
        } else if (tag == "@missing" && words.size() == 1) {
            frame.kind = FollowFrame::Kind::Missing;
        } else if (tag == "@eof" && words.size() == 3 && toOffset(words[1], &frame.offset)) {
            frame.kind = FollowFrame::Kind::EndOfFile;
            frame.inode = words[2];
        } else if (tag == "@alive" && words.size() == 2 && toOffset(words[1], &frame.offset)) {
            frame.kind = FollowFrame::Kind::Alive;
        } else {
            return fail(QString::fromUtf8(line.left(80)));
        }
        frames.append(std::move(frame));
    }
    m_buffer.remove(0, position);
    return frames;
}

} // namespace rdt
