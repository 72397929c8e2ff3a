// A strip under the run header for what the user must not miss about the current run:
// the trainer's "not RDT-conditioned" warnings from its start event, and errors other
// ranks of a data-parallel run wrote to their own logs. Notices are kept per run and per
// source, so each source replaces only its own lines; the strip hides when there are none.
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>
#include <QWidget>

class QLabel;

namespace rdt {

class RunNotices : public QWidget {
    Q_OBJECT
public:
    explicit RunNotices(QWidget *parent = nullptr);

    // Replaces the lines of one source ("conditioning", "ranks") of a run; empty clears them.
    void setNotices(const QString &run, const QString &source, const QStringList &lines);
    void setCurrentRun(const QString &run);
    // What the strip shows now, one notice a line (for tests and the accessible name).
    QStringList shown() const;

private:
    void refresh();

    QMap<QString, QMap<QString, QStringList>> m_notices;   // run -> source -> lines
    QString m_currentRun;
    QLabel *m_text;
};

} // namespace rdt
