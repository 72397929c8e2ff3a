// Pattern matching on build output. GCC and Clang write "FILE:LINE:COL: error: ..." (and
// "fatal error:"), GNU ld "...: undefined reference to ...", collect2 and Ninja
// "collect2: error: ..." / "ninja: error: ..."; the first of these is the cause, what
// follows is mostly its consequences.
#include "BuildOutputReader.h"

#include <QRegularExpression>

namespace rdt {
namespace {

// Ninja: "[12/80] Building ..."; CMake's Makefiles: "[ 15%] Building ...".
const QRegularExpression &ninjaProgress()
{
    static const QRegularExpression pattern(QStringLiteral("^\\[(\\d+)/(\\d+)\\]\\s*(.*)$"));
    return pattern;
}

const QRegularExpression &makeProgress()
{
    static const QRegularExpression pattern(QStringLiteral("^\\[\\s*(\\d+)%\\]\\s*(.*)$"));
    return pattern;
}

const QRegularExpression &errorLine()
{
    static const QRegularExpression pattern(
        QStringLiteral("(^|[\\s:])(fatal )?error:|undefined reference to|^CMake Error"));
    return pattern;
}

} // namespace

void BuildOutputReader::setSourceFolder(const QString &folder, const QString &shownAs)
{
    m_sourceFolder = folder.endsWith(QLatin1Char('/')) ? folder : folder + QLatin1Char('/');
    m_shownAs = shownAs.endsWith(QLatin1Char('/')) ? shownAs : shownAs + QLatin1Char('/');
}

bool BuildOutputReader::feed(const QByteArray &chunk)
{
    m_pending += chunk;
    bool changed = false;
    qsizetype start = 0;
    for (qsizetype end = m_pending.indexOf('\n'); end >= 0; end = m_pending.indexOf('\n', start)) {
        changed = readLine(m_pending.mid(start, end - start)) || changed;
        start = end + 1;
    }
    m_pending.remove(0, start);
    return changed;
}

void BuildOutputReader::finish()
{
    if (!m_pending.isEmpty())
        readLine(m_pending);
    m_pending.clear();
}

bool BuildOutputReader::readLine(const QByteArray &bytes)
{
    QString line = QString::fromUtf8(bytes);
    if (line.endsWith(QLatin1Char('\r')))
        line.chop(1);
    if (line.trimmed().isEmpty()) {
        m_inCmakeError = false;   // CMake ends each message with a blank line
        return false;
    }
    m_lastLine = shortened(line.trimmed());
    if (m_inCmakeError && line.front().isSpace()) {
        m_cmakeErrorBody.append(m_lastLine);
        return false;
    }
    m_inCmakeError = false;
    if (m_cmakeErrorHeader.isEmpty() && line.startsWith(QLatin1String("CMake Error"))) {
        m_cmakeErrorHeader = m_lastLine;
        m_inCmakeError = true;
    }
    if (const QRegularExpressionMatch match = ninjaProgress().match(line); match.hasMatch()) {
        m_done = match.captured(1).toInt();
        m_total = match.captured(2).toInt();
        m_lastStep = shortened(match.captured(3));
        return true;
    }
    if (const QRegularExpressionMatch match = makeProgress().match(line); match.hasMatch()) {
        m_done = match.captured(1).toInt();
        m_total = 100;
        m_lastStep = shortened(match.captured(2));
        return true;
    }
    if (m_firstError.isEmpty() && errorLine().match(line).hasMatch())
        m_firstError = m_lastLine;
    if (m_failedLine.isEmpty() && (line.startsWith(QLatin1String("FAILED: ")) || line.contains(QLatin1String("*** ["))))
        m_failedLine = m_lastLine;
    return false;
}

QString BuildOutputReader::fallbackError() const
{
    return m_failedLine.isEmpty() ? m_lastLine : m_failedLine;
}

QString BuildOutputReader::cmakeError() const
{
    if (m_cmakeErrorHeader.isEmpty())
        return {};
    QString body = m_cmakeErrorBody.join(QLatin1Char(' '));
    if (const qsizetype end = body.indexOf(QLatin1String(". ")); end > 0)
        body.truncate(end + 1);
    if (body.size() > 300)
        body = body.left(300) + QStringLiteral("…");
    return body.isEmpty() ? m_cmakeErrorHeader : m_cmakeErrorHeader + QLatin1Char(' ') + body;
}

QString BuildOutputReader::shortened(const QString &line) const
{
    if (m_sourceFolder.isEmpty())
        return line;
    QString text = line;
    return text.replace(m_sourceFolder, m_shownAs);
}

} // namespace rdt
