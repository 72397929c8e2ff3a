// Help > Keyboard shortcuts: every action the window has a shortcut for, with its keys,
// read from the actions themselves so the list cannot drift from what the keys do.
#pragma once

#include <QDialog>

class QAction;
class QTableView;

namespace rdt {

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent = nullptr);
    QTableView *table() const { return m_table; }

private:
    QTableView *m_table;
};

} // namespace rdt
