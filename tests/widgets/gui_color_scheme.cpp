// The window follows the desktop's dark preference: the test starts a private session bus,
// serves the XDG desktop portal's Settings interface on it from an object of its own
// (color-scheme 1, prefer dark), and checks the application's palette turns dark at start
// and light again when the portal says the preference changed (screenshots of both).
#include "DesktopColorScheme.h"
#include "MainWindow.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

using namespace rdt;

// The portal's side of org.freedesktop.portal.Settings: Read answers a variant in a variant.
class FakePortalSettings : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.portal.Settings")
public:
    uint scheme = 1;
    int reads = 0;

public slots:
    QDBusVariant Read(const QString &group, const QString &key)
    {
        ++reads;
        if (group != QLatin1String("org.freedesktop.appearance") || key != QLatin1String("color-scheme"))
            return QDBusVariant(QVariant::fromValue(QDBusVariant(QString())));
        return QDBusVariant(QVariant::fromValue(QDBusVariant(scheme)));
    }
};

class ColorSchemeTest : public QObject {
    Q_OBJECT

private:
    QProcess m_daemon;
    QString m_address;
    FakePortalSettings m_portal;

    static bool looksDark() { return qApp->palette().color(QPalette::Window).lightness() < 100; }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_daemon.start(QStringLiteral("dbus-daemon"), {QStringLiteral("--session"), QStringLiteral("--print-address"),
                                                        QStringLiteral("--nofork")});
        QVERIFY2(m_daemon.waitForStarted(10000), qPrintable(m_daemon.errorString()));
        QVERIFY2(QTest::qWaitFor([&] { return m_daemon.canReadLine(); }, 20000), "dbus-daemon printed no address");
        m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
        QDBusConnection service = QDBusConnection::connectToBus(m_address, QStringLiteral("portal"));
        QVERIFY2(service.isConnected(), qPrintable(service.lastError().message()));
        QVERIFY(service.registerObject(QStringLiteral("/org/freedesktop/portal/desktop"), &m_portal,
                                       QDBusConnection::ExportAllSlots));
        QVERIFY(service.registerService(QStringLiteral("org.freedesktop.portal.Desktop")));
    }

    void cleanupTestCase()
    {
        m_daemon.terminate();
        m_daemon.waitForFinished(5000);
    }

    void followsTheDesktop()
    {
        QVERIFY(!looksDark());
        DesktopColorScheme scheme(QDBusConnection::connectToBus(m_address, QStringLiteral("workbench")), nullptr);
        QVERIFY2(QTest::qWaitFor([&] { return scheme.isDark(); }, 20000),
                 qPrintable(QStringLiteral("the portal was read %1 times; still light").arg(m_portal.reads)));
        QVERIFY(looksDark());
        MainWindow window;
        window.resize(1100, 700);
        window.showRuns();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
        QVERIFY(window.grab().save(QStringLiteral(RDT_SCREENSHOT_DIR "/window-dark.png")));

        // The user switches the desktop to light: the portal says so with SettingChanged.
        QSignalSpy changed(&scheme, &DesktopColorScheme::schemeChanged);
        QDBusMessage signal = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/portal/desktop"),
                                                         QStringLiteral("org.freedesktop.portal.Settings"),
                                                         QStringLiteral("SettingChanged"));
        signal << QStringLiteral("org.freedesktop.appearance") << QStringLiteral("color-scheme")
               << QVariant::fromValue(QDBusVariant(uint(2)));
        QVERIFY(QDBusConnection::connectToBus(m_address, QStringLiteral("portal")).send(signal));
        QVERIFY2(QTest::qWaitFor([&] { return !scheme.isDark(); }, 20000), "still dark after the desktop turned light");
        QCOMPARE(changed.size(), 1);
        QVERIFY(!looksDark());
    }
};

QTEST_MAIN(ColorSchemeTest)
#include "gui_color_scheme.moc"
