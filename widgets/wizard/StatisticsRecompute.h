// The data page's "Recompute statistics" button: shown when the page's verdict says the
// server's dataset_stat.json does not belong to the dataset there, it runs `rdt-trainer
// stats` on the server (the server check's fix script) and says how it went; a click while
// it runs cancels it. On success the page compares again, so the verdict is the new one.
#pragma once

#include "RemoteProcess.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace rdt {

class WizardSession;

class StatisticsRecompute : public QWidget {
    Q_OBJECT
public:
    explicit StatisticsRecompute(WizardSession *session, QWidget *parent = nullptr);

    // The page's statistics verdict: the button shows only when it asks for a recompute.
    void setVerdict(const QString &verdict);
    bool isRunning() const { return m_process != nullptr; }

    QPushButton *button() const { return m_button; }
    QString statusText() const;

public slots:
    void start();
    void cancel();

Q_SIGNALS:
    void recomputed();   // the statistics on the server now belong to its dataset

private:
    void finished();
    void showStatus(const QString &text, bool error);

    WizardSession *m_session;
    QPushButton *m_button;
    QLabel *m_status;
    QPointer<RemoteProcess> m_process;
    QByteArray m_errors;
    bool m_cancelled = false;
};

} // namespace rdt
