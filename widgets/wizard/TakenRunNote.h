// The launch page's note for a run name that is already a run folder on the server: it
// says so, and offers to resume that run or to take the next free name instead. Hidden
// while the name is free.
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;

namespace rdt {

class TakenRunNote : public QWidget {
    Q_OBJECT
public:
    explicit TakenRunNote(QWidget *parent = nullptr);

    // Shows the note when `name` is among `existing` (the runs on the server); hides it otherwise.
    void showFor(const QString &name, const QString &host, const QStringList &existing);
    bool isTaken() const { return m_taken; }
    QString text() const;

Q_SIGNALS:
    void resumeRequested(const QString &run);
    void renameRequested(const QString &freeName);

private:
    QLabel *m_text;
    QPushButton *m_resume;
    QPushButton *m_rename;
    QString m_name;
    QString m_freeName;
    bool m_taken = false;
};

} // namespace rdt
