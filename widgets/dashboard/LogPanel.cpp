// The log view, its find bar and the failures beside it.
#include "LogPanel.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTextBrowser>
#include <QTextBlock>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace rdt {

namespace {

// Highlighting every match of a common word in 20,000 lines would cost more than it
// helps; the count still covers them all.
constexpr int kMaximumHighlights = 1000;
// Re-highlighting scans the whole view: at most this often while a log streams in.
constexpr int kHighlightDelayMs = 300;

} // namespace

LogPanel::LogPanel(QWidget *parent) : QWidget(parent)
{
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    // Wrapped: a find that lands far right in an unwrapped line scrolls the start away.
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_log->setMaximumBlockCount(kMaximumLines);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    QScrollBar *bar = m_log->verticalScrollBar();
    // The user's scrolling (wheel, drag, arrows) decides whether the log follows; the
    // action's effect is in the value only after the signal, hence the queued look.
    connect(bar, &QScrollBar::actionTriggered, this, [this, bar] {
        QMetaObject::invokeMethod(this, [this, bar] { m_following = bar->value() >= bar->maximum() - 2; },
                                  Qt::QueuedConnection);
    });
    connect(bar, &QScrollBar::sliderReleased, this, [this, bar] { m_following = bar->value() >= bar->maximum() - 2; });
    // A resize re-wraps the lines: a following log stays at the end.
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int maximum) {
        if (m_following)
            bar->setValue(maximum);
    });
    m_log->setUndoRedoEnabled(false);

    m_find = new QLineEdit(this);
    m_find->setPlaceholderText(tr("Find in log"));
    m_find->setClearButtonEnabled(true);
    auto *previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match (Shift+Enter)"));
    auto *next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (Enter)"));
    m_matches = new QLabel(this);
    m_matches->setMinimumWidth(80);
    connect(m_find, &QLineEdit::textChanged, this, [this] {
        highlightMatches();
        findNext();
    });
    connect(m_find, &QLineEdit::returnPressed, this, [this] { findNext(); });
    connect(next, &QToolButton::clicked, this, [this] { findNext(); });
    connect(previous, &QToolButton::clicked, this, [this] { findPrevious(); });

    m_highlightTimer = new QTimer(this);
    m_highlightTimer->setSingleShot(true);
    m_highlightTimer->setInterval(kHighlightDelayMs);
    connect(m_highlightTimer, &QTimer::timeout, this, &LogPanel::highlightMatches);

    m_failureView = new QTextBrowser(this);
    m_failureView->setOpenLinks(false);
    m_failureView->setMinimumWidth(240);

    auto *findBar = new QHBoxLayout;
    findBar->setContentsMargins(0, 0, 0, 0);
    findBar->addWidget(m_find, 1);
    findBar->addWidget(previous);
    findBar->addWidget(next);
    findBar->addWidget(m_matches);
    auto *logColumn = new QWidget(this);
    auto *logLayout = new QVBoxLayout(logColumn);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->setSpacing(4);
    logLayout->addLayout(findBar);
    logLayout->addWidget(m_log, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(logColumn);
    splitter->addWidget(m_failureView);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    showFailures();
}

void LogPanel::appendLines(const QStringList &lines)
{
    if (lines.isEmpty())
        return;
    QScrollBar *bar = m_log->verticalScrollBar();
    const bool following = m_following;
    const int keep = bar->value();
    // One insertion for the whole chunk: a layout pass per line would stall a backfill.
    m_log->appendPlainText(lines.join(QLatin1Char('\n')));
    bar->setValue(following ? bar->maximum() : keep);
    m_following = following;
    bool found = false;
    for (const KnownFailure &failure : KnownFailures::recogniseAll(lines)) {
        if (m_failureKinds.insert(failure.kind).second) {
            m_failures.append(failure);
            found = true;
        }
    }
    if (found)
        showFailures();
    if (!m_find->text().isEmpty() && !m_highlightTimer->isActive())
        m_highlightTimer->start();
}

void LogPanel::addFailure(const KnownFailure &failure)
{
    if (!m_failureKinds.insert(failure.kind).second)
        return;
    m_failures.append(failure);
    showFailures();
}

void LogPanel::clear()
{
    m_log->clear();
    m_following = true;
    m_failures.clear();
    m_failureKinds.clear();
    m_matchCount = 0;
    m_matches->clear();
    showFailures();
}

void LogPanel::showFailures()
{
    if (m_failures.isEmpty()) {
        m_failureView->setHtml(tr("<p style='color:#6b7280'>No known failure in the log.</p>"));
        return;
    }
    QString html;
    for (const KnownFailure &failure : m_failures) {
        html += QStringLiteral("<div style='margin-bottom:10px'>"
                               "<p style='margin:0'><b style='color:#b91c1c'>%1</b></p>"
                               "<p style='margin:2px 0'>%2</p>"
                               "<p style='margin:2px 0'><b>Remedy:</b> %3</p>")
                    .arg(failure.title.toHtmlEscaped(), failure.explanation.toHtmlEscaped(),
                         failure.remedy.toHtmlEscaped());
        if (!failure.line.isEmpty()) {
            html += QStringLiteral("<p style='margin:2px 0; color:#6b7280; font-family:monospace'>%1</p>")
                        .arg(failure.line.toHtmlEscaped());
        }
        html += QStringLiteral("</div>");
    }
    m_failureView->setHtml(html);
}

QString LogPanel::failuresText() const
{
    return m_failureView->toPlainText();
}

void LogPanel::setFindText(const QString &text)
{
    m_find->setText(text);
}

bool LogPanel::findNext()
{
    return find(false);
}

bool LogPanel::findPrevious()
{
    return find(true);
}

bool LogPanel::find(bool backwards)
{
    const QString needle = m_find->text();
    if (needle.isEmpty())
        return false;
    const QTextDocument::FindFlags flags = backwards ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    if (m_log->find(needle, flags))
        return true;
    // Wrap around once, like an editor's find.
    QTextCursor cursor = m_log->textCursor();
    cursor.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
    m_log->setTextCursor(cursor);
    return m_log->find(needle, flags);
}

void LogPanel::highlightMatches()
{
    const QString needle = m_find->text();
    QList<QTextEdit::ExtraSelection> selections;
    m_matchCount = 0;
    if (!needle.isEmpty()) {
        QTextDocument *document = m_log->document();
        QTextCharFormat format;
        format.setBackground(QColor(0xfd, 0xe6, 0x8a));
        QTextCursor cursor(document);
        while (!(cursor = document->find(needle, cursor)).isNull()) {
            ++m_matchCount;
            if (selections.size() < kMaximumHighlights)
                selections.append({cursor, format});
        }
    }
    m_log->setExtraSelections(selections);
    m_matches->setText(needle.isEmpty()       ? QString()
                       : m_matchCount == 1 ? tr("1 match")
                                           : tr("%1 matches").arg(m_matchCount));
}

QString LogPanel::text() const
{
    return m_log->toPlainText();
}

QString LogPanel::selectedText() const
{
    return m_log->textCursor().selectedText();
}

} // namespace rdt
