// SIGINT, SIGTERM and SIGHUP (Ctrl+C in the terminal, a logout, `kill`) end the workbench
// through the event loop instead of at once, so its destructors run: the sandbox's servers
// stop, and its folder stays if a trainer still runs in it (see Sandbox). A handler may
// only write to a pipe; the GUI thread reads the other end.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace rdt {

class QuitSignals : public QObject {
    Q_OBJECT
public:
    // Installs the handlers; the application quits when one of the signals arrives.
    explicit QuitSignals(QObject *parent = nullptr);
    ~QuitSignals() override;

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace rdt
