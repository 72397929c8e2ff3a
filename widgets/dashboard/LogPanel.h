// The tail of a run's train.log, following live, with a find box; beside it the known
// failures recognised in it (KnownFailures), each with what happened and what to do.
#pragma once

#include "KnownFailures.h"

#include <QWidget>

#include <set>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTextBrowser;
class QTimer;

namespace rdt {

class LogPanel : public QWidget {
    Q_OBJECT
public:
    // Lines kept in the view; older ones scroll out (the file on the server keeps them).
    static constexpr int kMaximumLines = 20000;

    explicit LogPanel(QWidget *parent = nullptr);

public slots:
    // New lines of the log. The view follows them unless the user scrolled up to read.
    void appendLines(const QStringList &lines);
    // A failure found elsewhere (e.g. a data-wait stall seen in the metrics).
    void addFailure(const KnownFailure &failure);
    void clear();
    // Selects the next (or previous) match of the find box's text; false when none.
    bool findNext();
    bool findPrevious();

public:
    void setFindText(const QString &text);
    QString text() const;
    QString selectedText() const;
    int matchCount() const { return m_matchCount; }
    const QList<KnownFailure> &failures() const { return m_failures; }
    QString failuresText() const;

private:
    bool find(bool backwards);
    void highlightMatches();
    void showFailures();

    QPlainTextEdit *m_log;
    QLineEdit *m_find;
    QLabel *m_matches;
    QTextBrowser *m_failureView;
    QTimer *m_highlightTimer;   // coalesces re-highlighting while lines stream in
    QList<KnownFailure> m_failures;
    std::set<FailureKind> m_failureKinds;
    int m_matchCount = 0;
    // Whether new lines scroll into view: on until the user scrolls up, on again once they
    // scroll back to the end. A flag, not the scroll position, because a resize re-wraps
    // the lines and moves the end away from a view that was following.
    bool m_following = true;
};

} // namespace rdt
