// The window as the user left it, restored at the next start (QSettings group "window"):
// its size and position, every splitter's positions (a panel dragged shut
// stays shut), every tab widget's current tab, and the run plot's options (x axis, log
// scale, smoothing, which metrics). The last host and run come back through LastConnection
// and RunReselector. Saved when the window closes and when the application quits.
#pragma once

#include <QObject>
#include <QPointer>

namespace rdt {

class MainWindow;

class WindowState : public QObject {
    Q_OBJECT
public:
    // Restores now (before the window is shown) and saves at the end; a child of the window.
    static WindowState *install(MainWindow *window);

    explicit WindowState(MainWindow *window);
    void restore();
    void save() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPointer<MainWindow> m_window;
};

} // namespace rdt
