// The portal answers Read with the value wrapped in one variant more than ReadOne does;
// both are unwrapped down to the number.
#include "DesktopColorScheme.h"

#include <QApplication>
#include <QDBusError>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace rdt {
namespace {

const QString kService = QStringLiteral("org.freedesktop.portal.Desktop");
const QString kPath = QStringLiteral("/org/freedesktop/portal/desktop");
const QString kInterface = QStringLiteral("org.freedesktop.portal.Settings");
const QString kGroup = QStringLiteral("org.freedesktop.appearance");
const QString kKey = QStringLiteral("color-scheme");
constexpr uint kPreferDark = 1;

QVariant unwrapped(QVariant value)
{
    while (value.canConvert<QDBusVariant>() && value.userType() == qMetaTypeId<QDBusVariant>())
        value = value.value<QDBusVariant>().variant();
    return value;
}

bool gtkThemeIsDark()
{
    return qEnvironmentVariable("GTK_THEME").endsWith(QLatin1String(":dark"), Qt::CaseInsensitive);
}

} // namespace

DesktopColorScheme *DesktopColorScheme::install()
{
    return new DesktopColorScheme(QDBusConnection::sessionBus(), qApp);
}

DesktopColorScheme::DesktopColorScheme(const QDBusConnection &bus, QObject *parent) : QObject(parent), m_bus(bus)
{
    apply(gtkThemeIsDark());
    if (!m_bus.isConnected())
        return;
    // QtDBus matches the slot's argument types by meta type: QDBusVariant's must exist first.
    qRegisterMetaType<QDBusVariant>();
    // Any sender: the portal's well-known name may move to another process (a restart).
    if (!m_bus.connect(QString(), kPath, kInterface, QStringLiteral("SettingChanged"), this,
                       SLOT(onSettingChanged(QString,QString,QDBusVariant))))
        qWarning("desktop colour scheme: cannot follow the portal's SettingChanged: %s",
                 qPrintable(m_bus.lastError().message()));
    QDBusMessage read = QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Read"));
    read << kGroup << kKey;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(read), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *call) {
        call->deleteLater();
        const QDBusMessage reply = call->reply();
        if (reply.type() == QDBusMessage::ReplyMessage && !reply.arguments().isEmpty())
            apply(unwrapped(reply.arguments().first()).toUInt() == kPreferDark);
        // No portal (an error reply): GTK_THEME's answer stands.
    });
}

void DesktopColorScheme::onSettingChanged(const QString &group, const QString &key, const QDBusVariant &value)
{
    if (group == kGroup && key == kKey)
        apply(unwrapped(value.variant()).toUInt() == kPreferDark);
}

void DesktopColorScheme::apply(bool dark)
{
    if (m_applied && dark == m_dark)
        return;
    const bool changed = m_applied || dark;
    m_dark = dark;
    m_applied = true;
    if (!changed)
        return;   // light at start: the platform's own style and palette stay
    if (dark) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
    } else {
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
    Q_EMIT schemeChanged(dark);
}

QPalette DesktopColorScheme::darkPalette()
{
    // Close to Breeze Dark and Adwaita-dark: mid-grey surfaces, light text, a blue accent.
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80), accent(0x3d, 0xae, 0xe9);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, accent);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::black);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

} // namespace rdt
