// One server's connection as the whole application shares it: one SshClient at a time on
// one route, one state that every view follows, and after a drop a new client on the same
// route, tried every few seconds until it is back (asking again only what the server asks:
// an unknown key, a passphrase). ConnectionOwner holds one per server.
#pragma once

#include "ConnectStep.h"
#include "Result.h"
#include "SshHost.h"
#include "SshQuestions.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace rdt {

class SshClient;

class HostConnection : public QObject {
    Q_OBJECT
public:
    enum class State {
        Disconnected,   // never opened, closed by the user, or given up (a refused key or login)
        Connecting,     // the first attempt, opened by a view
        Connected,      // client() is connected
        Reconnecting,   // the connection dropped; trying the same route again
    };
    Q_ENUM(State)
    // Between reconnection attempts: a restarting jump host is back within seconds.
    static constexpr int kReconnectDelayMs = 3000;

    HostConnection(const SshRoute &route, SshQuestions questions, QObject *parent = nullptr);
    ~HostConnection() override;   // closes the connection

    // What makes two routes the same server: every hop's user, address and port.
    static QString keyOf(const SshRoute &route);

    const SshRoute &route() const { return m_route; }
    QString name() const { return m_route.target.displayName(); }
    State state() const { return m_state; }
    QString statusText() const { return m_status; }
    // The connected client, or null while not connected; it belongs to this object and is
    // deleted (later) when the connection drops, after stateChanged has told every view.
    SshClient *client() const;
    int reconnections() const { return m_reconnections; }

    // Connects unless connected or connecting; a pending reconnection is tried at once.
    void open();
    // Takes over a client connected elsewhere (not owned): a drop reconnects with our own.
    void adopt(SshClient *client);
    // The user's Disconnect: the connection closes for every view and is not tried again.
    void close();

Q_SIGNALS:
    void stateChanged(rdt::HostConnection::State state, const QString &text);
    void connectStep(const rdt::ConnectStep &step);
    // Connected, the first time or again after a drop (then reconnections() counts it).
    void connected(rdt::SshClient *client);
    // open()'s attempt failed, or a reconnection was refused for good: Disconnected.
    void connectFailed(const rdt::Error &error);
    // The connection dropped; Reconnecting follows at once.
    void lost(const rdt::Error &error);

private:
    void setState(State state, const QString &text);
    void attempt();
    void watch(SshClient *client);
    void onConnected(SshClient *client);
    void onAttemptFailed(SshClient *client, const Error &error);
    void onLost(SshClient *client, const Error &error);
    void dropped(const Error &error);
    void letGo(SshClient *client);

    SshRoute m_route;
    SshQuestions m_questions;
    QPointer<SshClient> m_client;   // connected or connecting; owned unless adopted
    bool m_adopted = false;
    State m_state = State::Disconnected;
    QString m_status;
    int m_reconnections = 0;
    QTimer m_retry;
};

} // namespace rdt
