// Notify is called asynchronously: a notification daemon that hangs never blocks the GUI.
#include "DesktopNotifier.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QVariantMap>

namespace rdt {
namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kSettingsKey = QStringLiteral("notifications/enabled");

} // namespace

DesktopNotifier::DesktopNotifier(QObject *parent) : DesktopNotifier(QDBusConnection::sessionBus(), parent) {}

DesktopNotifier::DesktopNotifier(const QDBusConnection &bus, QObject *parent) : QObject(parent), m_bus(bus) {}

bool DesktopNotifier::enabledSetting()
{
    return QSettings().value(kSettingsKey, true).toBool();
}

void DesktopNotifier::setEnabledSetting(bool enabled)
{
    QSettings().setValue(kSettingsKey, enabled);
}

void DesktopNotifier::notify(const QString &summary, const QString &body, Urgency urgency)
{
    if (!enabledSetting())
        return;
    if (sendOverDBus(summary, body, urgency)) {
        Q_EMIT notified(summary, body, QStringLiteral("dbus"));
        return;
    }
    if (m_tray && QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray->show();
        m_tray->showMessage(summary, body,
                            urgency == Urgency::Critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information);
        Q_EMIT notified(summary, body, QStringLiteral("tray"));
        return;
    }
    Q_EMIT notified(summary, body, QStringLiteral("none"));
}

bool DesktopNotifier::sendOverDBus(const QString &summary, const QString &body, Urgency urgency)
{
    if (!m_bus.isConnected() || !m_bus.interface() || !m_bus.interface()->isServiceRegistered(kService).value())
        return false;
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kService, QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(urgency)));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("rdt-workbench"));
    // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout)
    call << QStringLiteral("RDT Workbench") << uint(0) << QStringLiteral("rdt-workbench") << summary << body
         << QStringList() << hints << int(-1);
    m_bus.asyncCall(call);
    return true;
}

} // namespace rdt
