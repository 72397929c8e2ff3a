// The usual keys (Ctrl+Q, Ctrl+F, F1), spelled out: some platform themes bind none for
// Quit or Help. Ctrl+digit for the views, as browsers and IDEs number their tabs.
#include "KeyboardShortcuts.h"

#include "DashboardExportButton.h"
#include "LogPanel.h"
#include "MainWindow.h"
#include "RunDashboard.h"
#include "RunPlot.h"
#include "RunPlotControls.h"
#include "ShortcutsDialog.h"

#include <QAction>
#include <QCheckBox>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QTabWidget>

namespace rdt {

QList<QAction *> KeyboardShortcuts::install(MainWindow *window)
{
    QList<QAction *> actions;
    const auto add = [&](const QString &text, const QKeySequence &keys, auto slot) {
        auto *action = new QAction(text, window);
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WindowShortcut);
        QObject::connect(action, &QAction::triggered, window, slot);
        window->addAction(action);
        actions.append(action);
        return action;
    };
    RunDashboard *dashboard = window->runDashboard();
    add(QObject::tr("Show the setup wizard"), QKeySequence(Qt::CTRL | Qt::Key_1), [window] { window->showWizard(); });
    add(QObject::tr("Show the server"), QKeySequence(Qt::CTRL | Qt::Key_2), [window] { window->showWorkspace(); });
    add(QObject::tr("Show the runs"), QKeySequence(Qt::CTRL | Qt::Key_3), [window] { window->showRuns(); });
    add(QObject::tr("Fit the plot to all data"), QKeySequence(Qt::CTRL | Qt::Key_0), [dashboard] { dashboard->plot()->fitAll(); });
    add(QObject::tr("Toggle log scale"), QKeySequence(Qt::CTRL | Qt::Key_L),
        [dashboard] { dashboard->plotControls()->logScaleBox()->toggle(); });
    add(QObject::tr("Export (plot, metrics, configuration)"), QKeySequence(Qt::CTRL | Qt::Key_E), [window, dashboard] {
        window->showRuns();
        dashboard->exportButton()->showMenu();
    });
    add(QObject::tr("Find in the log"), QKeySequence(Qt::CTRL | Qt::Key_F), [window, dashboard] {
        window->showRuns();
        if (auto *find = dashboard->logPanel()->findChild<QLineEdit *>()) {
            find->setFocus();
            find->selectAll();
        }
    });
    add(QObject::tr("Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), [window] { window->close(); });
    QAction *help = add(QObject::tr("Keyboard shortcuts"), QKeySequence(Qt::Key_F1), [] {});
    // Every action on the window at the time of asking: others add theirs (Compare, Ctrl+K).
    QObject::connect(help, &QAction::triggered, window, [window] {
        ShortcutsDialog dialog(window->actions(), window);
        dialog.exec();
    });
    window->menuBar()->addMenu(QObject::tr("&Help"))->addAction(help);
    return actions;
}

} // namespace rdt
