// The notice strip: an amber box with one line per notice, the source named first.
#include "RunNotices.h"

#include <QLabel>
#include <QVBoxLayout>

namespace rdt {

RunNotices::RunNotices(QWidget *parent) : QWidget(parent), m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("runNotices"));
    setAttribute(Qt::WA_StyledBackground);
    setStyleSheet(QStringLiteral("#runNotices { background: #fff4d6; border-bottom: 1px solid #e0b54a; }"
                                 "#runNotices QLabel { color: #5c3d00; }"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_text);
    hide();
}

void RunNotices::setNotices(const QString &run, const QString &source, const QStringList &lines)
{
    if (lines.isEmpty())
        m_notices[run].remove(source);
    else
        m_notices[run][source] = lines;
    if (run == m_currentRun)
        refresh();
}

void RunNotices::setCurrentRun(const QString &run)
{
    m_currentRun = run;
    refresh();
}

QStringList RunNotices::shown() const
{
    QStringList lines;
    const auto run = m_notices.find(m_currentRun);
    if (run == m_notices.end())
        return lines;
    for (auto source = run->cbegin(); source != run->cend(); ++source)
        for (const QString &line : source.value())
            lines << source.key() + QStringLiteral(": ") + line;
    return lines;
}

void RunNotices::refresh()
{
    const QStringList lines = shown();
    QStringList html;
    for (const QString &line : lines)
        html << QStringLiteral("⚠ ") + line.toHtmlEscaped();
    m_text->setText(html.join(QStringLiteral("<br>")));
    setAccessibleName(lines.join(QLatin1Char('\n')));
    setVisible(!lines.isEmpty());
}

} // namespace rdt
