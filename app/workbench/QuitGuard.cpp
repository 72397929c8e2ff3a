// The quit question and the sandbox's stop-then-quit. The close event is the one place
// every way of quitting passes (the window's close button, Ctrl+Q, the session ending).
#include "QuitGuard.h"

#include "DashboardController.h"
#include "MainWindow.h"
#include "RunDashboard.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "Sandbox.h"
#include "SandboxTrainers.h"
#include "SshClient.h"
#include "WorkbenchController.h"

#include <QAction>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>

#include <csignal>

namespace rdt {

QuitGuard::QuitGuard(MainWindow *window, WorkbenchController *controller)
    : QObject(window), m_window(window), m_controller(controller), m_quit(new QAction(tr("Quit"), window))
{
    m_quit->setShortcut(QKeySequence::Quit);
    m_quit->setShortcutContext(Qt::ApplicationShortcut);
    m_quit->setMenuRole(QAction::QuitRole);
    window->addAction(m_quit);
    connect(m_quit, &QAction::triggered, window, &QWidget::close);
    window->installEventFilter(this);
    m_poll.setInterval(250);
    connect(&m_poll, &QTimer::timeout, this, &QuitGuard::pollStoppedRuns);
}

QuitGuard::Situation QuitGuard::situation() const
{
    Situation situation;
    const RunListModel *runs = m_window->runDashboard()->runList()->model();
    for (int row = 0; row < runs->rowCount(); ++row)
        if (runs->run(row).state == RunRowState::Running)
            situation.runningRuns << runs->run(row).name;
    if (const SshClient *client = m_controller->dashboard()->client())
        situation.host = client->route().target.displayName();
    if (const Sandbox *sandbox = m_controller->sandbox(); sandbox && !sandbox->folder().isEmpty()) {
        situation.sandboxFolder = sandbox->folder();
        for (const SandboxTrainer &trainer : sandbox->liveTrainers()) {
            const QString run = QFileInfo(trainer.runFolder).fileName();
            if (!situation.sandboxRuns.contains(run))
                situation.sandboxRuns << run;
        }
    }
    return situation;
}

QString QuitGuard::describe(const Situation &situation)
{
    QStringList parts;
    QStringList remote = situation.runningRuns;
    for (const QString &run : situation.sandboxRuns)
        remote.removeAll(run);
    if (!remote.isEmpty())
        parts << tr("%n run(s) keep running on %1 after the workbench quits: %2. Start the workbench again to follow "
                    "them; nothing on the server is touched.", nullptr, int(remote.size()))
                     .arg(situation.host.isEmpty() ? tr("the server") : situation.host, remote.join(QStringLiteral(", ")));
    if (!situation.sandboxRuns.isEmpty())
        parts << tr("%n sandbox run(s) still train: %1. The sandbox keeps its folder (%2) while they run, and the next "
                    "--sandbox takes it up again with them; or stop them now (each writes a final checkpoint).",
                    nullptr, int(situation.sandboxRuns.size()))
                     .arg(situation.sandboxRuns.join(QStringLiteral(", ")), QDir::toNativeSeparators(situation.sandboxFolder));
    return parts.join(QStringLiteral("\n\n"));
}

QuitGuard::Choice QuitGuard::ask(const Situation &situation) const
{
    if (m_chooser)
        return m_chooser(situation);
    QMessageBox box(QMessageBox::Question, tr("Quit RDT Workbench"), describe(situation), QMessageBox::NoButton, m_window);
    QPushButton *quit = box.addButton(tr("Quit, runs keep going"), QMessageBox::AcceptRole);
    QPushButton *stop = situation.sandboxRuns.isEmpty()
        ? nullptr
        : box.addButton(tr("Stop sandbox runs, then quit"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(quit);
    box.exec();
    if (box.clickedButton() == quit)
        return Choice::QuitKeepingRuns;
    if (stop && box.clickedButton() == stop)
        return Choice::StopSandboxRunsAndQuit;
    return Choice::StayOpen;
}

bool QuitGuard::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window || event->type() != QEvent::Close || m_closing)
        return QObject::eventFilter(watched, event);
    if (m_poll.isActive()) {   // already stopping the sandbox's runs: quits when they are done
        event->ignore();
        return true;
    }
    const Situation now = situation();
    if (now.isQuiet())
        return QObject::eventFilter(watched, event);
    switch (ask(now)) {
    case Choice::QuitKeepingRuns:
        m_closing = true;
        return QObject::eventFilter(watched, event);
    case Choice::StopSandboxRunsAndQuit:
        event->ignore();
        stopSandboxRunsThenQuit();
        return true;
    case Choice::StayOpen:
        event->ignore();
        return true;
    }
    return false;
}

void QuitGuard::stopSandboxRunsThenQuit()
{
    const Sandbox *sandbox = m_controller->sandbox();
    const QList<SandboxTrainer> trainers = sandbox ? sandbox->liveTrainers() : QList<SandboxTrainer>();
    SandboxTrainers::interrupt(trainers);
    m_window->statusBar()->showMessage(tr("Stopping %n sandbox run(s) (a final checkpoint each), then quitting…", nullptr,
                                          int(trainers.size())));
    Q_EMIT stoppingSandboxRuns(int(trainers.size()));
    m_stopStarted = QDateTime::currentMSecsSinceEpoch();
    m_terminated = false;
    m_poll.start();
}

// Quits once no sandbox trainer is left; one that ignores SIGINT past the grace gets SIGTERM.
void QuitGuard::pollStoppedRuns()
{
    const Sandbox *sandbox = m_controller->sandbox();
    const QList<SandboxTrainer> trainers = sandbox ? sandbox->liveTrainers() : QList<SandboxTrainer>();
    if (!trainers.isEmpty()) {
        if (!m_terminated && QDateTime::currentMSecsSinceEpoch() - m_stopStarted > kStopGraceMs) {
            m_terminated = true;
            for (const SandboxTrainer &trainer : trainers)
                ::kill(pid_t(trainer.pid), SIGTERM);
        }
        return;
    }
    m_poll.stop();
    m_closing = true;
    m_window->close();
}

} // namespace rdt
