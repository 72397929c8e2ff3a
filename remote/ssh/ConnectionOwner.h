// The application's connections, one per server: every view (the setup wizard, the Server
// view, the run dashboard with its run list, GPU monitor, log tail and Eval tab) asks here
// for the server it shows, so they share one client and one state, and a drop is mended
// once, for all of them. "Current" is the server the user connected to last: the status
// bar shows its state.
#pragma once

#include "HostConnection.h"
#include "SshHost.h"
#include "SshQuestions.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace rdt {

class ConnectionOwner : public QObject {
    Q_OBJECT
public:
    explicit ConnectionOwner(QObject *parent = nullptr);
    ~ConnectionOwner() override;

    // Asked on the connection threads (host keys, passphrases); set before connecting.
    void setQuestions(const SshQuestions &questions) { m_questions = questions; }

    // The connection to the route's server (made, not yet open, the first time); owned here.
    HostConnection *connection(const SshRoute &route);
    // connection(route), made current and opened (a live one is simply shared).
    HostConnection *open(const SshRoute &route);
    HostConnection *current() const { return m_current; }
    QList<HostConnection *> connections() const { return m_connections.values(); }

Q_SIGNALS:
    void currentChanged(rdt::HostConnection *connection);
    // The current server's state, for the status bar.
    void currentStateChanged(rdt::HostConnection::State state, const QString &text);

private:
    void setCurrent(HostConnection *connection);

    SshQuestions m_questions;
    QHash<QString, HostConnection *> m_connections;   // by HostConnection::keyOf; children
    QPointer<HostConnection> m_current;
};

} // namespace rdt
