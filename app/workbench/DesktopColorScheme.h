// Follows the desktop's light or dark preference: the XDG desktop portal's
// org.freedesktop.appearance color-scheme (GNOME 42+, KDE Plasma 5.24+ publish it; 1 means
// prefer dark), read at start and followed as it changes, with GTK_THEME's ":dark" as the
// fallback where no portal runs. Dark means Qt's Fusion style with a dark palette; the
// plots and the run colours stay readable on it.
#pragma once

#include <QDBusConnection>
#include <QDBusVariant>
#include <QObject>

namespace rdt {

class DesktopColorScheme : public QObject {
    Q_OBJECT
public:
    // On the session bus; a child of the application.
    static DesktopColorScheme *install();

    DesktopColorScheme(const QDBusConnection &bus, QObject *parent);

    bool isDark() const { return m_dark; }
    static QPalette darkPalette();

Q_SIGNALS:
    void schemeChanged(bool dark);

private Q_SLOTS:
    void onSettingChanged(const QString &group, const QString &key, const QDBusVariant &value);

private:
    void apply(bool dark);

    QDBusConnection m_bus;
    bool m_dark = false;
    bool m_applied = false;
};

} // namespace rdt
