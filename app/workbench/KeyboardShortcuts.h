// Keys for the common actions (views, the plot, the log, export, quit) on the main window,
// and the Help menu whose Keyboard shortcuts item (F1) lists them in a ShortcutsDialog.
#pragma once

#include <QList>

class QAction;

namespace rdt {

class MainWindow;

class KeyboardShortcuts {
public:
    // Adds the actions to the window (so their keys work in every view) and the Help menu;
    // returns the actions, in the order the dialog lists them.
    static QList<QAction *> install(MainWindow *window);
};

} // namespace rdt
