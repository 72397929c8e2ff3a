// Quitting never costs a run: before the window closes (its close button, Ctrl+Q) this
// says which runs keep running on the server and quits without touching them; for the
// local sandbox, whose "server" goes with the workbench, it offers to stop its trainers
// first, and otherwise the sandbox keeps its folder for them (see Sandbox).
#pragma once

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>

class QAction;

namespace rdt {

class MainWindow;
class WorkbenchController;

class QuitGuard : public QObject {
    Q_OBJECT
public:
    enum class Choice { QuitKeepingRuns, StopSandboxRunsAndQuit, StayOpen };
    // What is going on when the user asks to quit.
    struct Situation {
        QStringList runningRuns;   // the run list's running runs on the dashboard's host
        QString host;              // that host's name; empty when not connected
        QStringList sandboxRuns;   // the sandbox's live trainers' run names
        QString sandboxFolder;
        bool isQuiet() const { return runningRuns.isEmpty() && sandboxRuns.isEmpty(); }
    };
    // How long stopped sandbox trainers get to write their final checkpoint before SIGTERM.
    static constexpr int kStopGraceMs = 15000;

    QuitGuard(MainWindow *window, WorkbenchController *controller);

    // The question; by default a message box. Tests answer it themselves.
    void setChooser(std::function<Choice(const Situation &)> chooser) { m_chooser = std::move(chooser); }
    Situation situation() const;
    QAction *quitAction() const { return m_quit; }
    // The text the question shows (the message box's and the tests').
    static QString describe(const Situation &situation);

Q_SIGNALS:
    void stoppingSandboxRuns(int count);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    Choice ask(const Situation &situation) const;
    void stopSandboxRunsThenQuit();
    void pollStoppedRuns();

    MainWindow *m_window;
    WorkbenchController *m_controller;
    QAction *m_quit;
    std::function<Choice(const Situation &)> m_chooser;
    QTimer m_poll;
    qint64 m_stopStarted = 0;
    bool m_terminated = false;
    bool m_closing = false;   // the question was answered: let the next close through
};

} // namespace rdt
