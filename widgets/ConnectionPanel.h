// The connection form of the main window: host (an ssh_config alias or user@host:port),
// jump hosts, remote root; Connect / Disconnect / Check server; and a log of each hop's
// progress. It only emits intents; the app wires them to the SSH client.
#pragma once

#include "ConnectStep.h"

#include <QWidget>

class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QLabel;

namespace rdt {

class ConnectionPanel : public QWidget {
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Checking };

    explicit ConnectionPanel(QWidget *parent = nullptr);

    QString host() const;
    QStringList jumps() const;
    QString remoteRoot() const;
    void setHost(const QString &host);
    void setJumps(const QString &jumps);
    void setRemoteRoot(const QString &root);

    void setState(State state);
    void appendStep(const ConnectStep &step);
    void appendMessage(const QString &message, bool isError = false);

Q_SIGNALS:
    void connectRequested();
    void disconnectRequested();
    void checkRequested();
    void cancelRequested();

private:
    QLineEdit *m_host;
    QLineEdit *m_jumps;
    QLineEdit *m_root;
    QPushButton *m_connect;
    QPushButton *m_check;
    QPushButton *m_cancel;
    QLabel *m_state;
    QPlainTextEdit *m_log;
    State m_current = State::Disconnected;
};

} // namespace rdt
