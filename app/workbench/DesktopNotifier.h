// Tells the user something through the desktop's notification service: the freedesktop
// Notifications interface on the session D-Bus (GNOME, KDE, XFCE, dunst, mako all serve
// it), or the system tray's balloon where no such service runs. On unless the user turned
// it off (QSettings "notifications/enabled", default true).
#pragma once

#include <QDBusConnection>
#include <QObject>
#include <QPointer>
#include <QSystemTrayIcon>

namespace rdt {

class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    enum class Urgency { Low = 0, Normal = 1, Critical = 2 };   // the specification's byte values

    // On the session bus.
    explicit DesktopNotifier(QObject *parent = nullptr);
    // On another bus (tests run a private dbus-daemon).
    DesktopNotifier(const QDBusConnection &bus, QObject *parent);

    static bool enabledSetting();
    static void setEnabledSetting(bool enabled);

    // Shown where there is no notification service (null: none); not owned.
    void setTrayIcon(QSystemTrayIcon *tray) { m_tray = tray; }

    // Sends it unless notifications are off; says how in notified().
    void notify(const QString &summary, const QString &body, Urgency urgency = Urgency::Normal);

Q_SIGNALS:
    // via: "dbus", "tray", or "none" (no service, no tray: nothing was shown).
    void notified(const QString &summary, const QString &body, const QString &via);

private:
    bool sendOverDBus(const QString &summary, const QString &body, Urgency urgency);

    QDBusConnection m_bus;
    QPointer<QSystemTrayIcon> m_tray;
};

} // namespace rdt
