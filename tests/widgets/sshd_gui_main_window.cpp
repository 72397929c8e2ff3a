// The main window driven as a user would, against the real topology: type the host,
// press Connect, accept the unknown jump host key in the dialog, press Check server, and
// see the checklist fill in. A screenshot of the result is kept in build/screenshots.
#include "support_topology.h"

#include "CheckListModel.h"
#include "ConnectionPanel.h"
#include "HostKeyDialog.h"
#include "MainWindow.h"
#include "WorkbenchController.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (QPushButton *button : parent->findChildren<QPushButton *>())
        if (button->text() == text)
            return button;
    return nullptr;
}

} // namespace

class MainWindowTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_home;

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        // A user whose ~/.ssh/config is the topology's, with an empty known_hosts for the
        // jump host so the host-key dialog appears.
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral(".ssh")));
        QFile source(m_topo.sshConfigFile());
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray config = source.readAll();
        const QString knownHosts = m_home.filePath(QStringLiteral(".ssh/known_hosts"));
        config.replace(m_topo.knownHostsFile().toUtf8(), knownHosts.toUtf8());
        QFile allKeys(m_topo.knownHostsFile());
        QVERIFY(allKeys.open(QIODevice::ReadOnly));
        QFile someKeys(knownHosts);
        QVERIFY(someKeys.open(QIODevice::WriteOnly));
        for (const QByteArray &line : allKeys.readAll().split('\n'))
            if (!line.isEmpty() && !line.startsWith(m_topo.jumpAddress().toUtf8()))
                someKeys.write(line + '\n');
        someKeys.close();
        QFile target(m_home.filePath(QStringLiteral(".ssh/config")));
        QVERIFY(target.open(QIODevice::WriteOnly));
        target.write(config);
        target.close();
        qputenv("HOME", m_home.path().toUtf8());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.path());
    }

    void connectAcceptKeyAndCheck()
    {
        rdt::MainWindow window;
        rdt::WorkbenchController controller(&window);
        window.show();
        rdt::ConnectionPanel *panel = window.connectionPanel();
        panel->setHost(QStringLiteral("gpu"));
        panel->setRemoteRoot(m_home.path());

        // Answer the host-key dialog when it opens (it is modal: poll for it).
        int dialogsSeen = 0;
        QTimer answerer;
        connect(&answerer, &QTimer::timeout, this, [&] {
            for (QWidget *widget : QApplication::topLevelWidgets()) {
                auto *dialog = qobject_cast<rdt::HostKeyDialog *>(widget);
                if (dialog && dialog->isVisible()) {
                    ++dialogsSeen;
                    QPushButton *once = buttonNamed(dialog, QStringLiteral("Accept once"));
                    QVERIFY(once);
                    once->click();
                }
            }
        });
        answerer.start(50);

        QPushButton *connectButton = buttonNamed(panel, QStringLiteral("Connect"));
        QVERIFY(connectButton);
        connectButton->click();
        QPushButton *check = buttonNamed(panel, QStringLiteral("Check server"));
        QVERIFY(check);
        QTRY_VERIFY_WITH_TIMEOUT(check->isEnabled(), 20000);
        QVERIFY(panel->findChild<QPlainTextEdit *>()->toPlainText().contains(QLatin1String("authenticated")));
        QCOMPARE(dialogsSeen, 1);   // the jump host's key, which this user had not seen

        check->click();
        QTRY_VERIFY_WITH_TIMEOUT(window.checkListModel()->rowCount() >= 9, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(check->isEnabled(), 5000);
        const QString log = panel->findChild<QPlainTextEdit *>()->toPlainText();
        QVERIFY2(log.contains(QLatin1String("Server check finished")), qPrintable(log));

        QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
        const QString shot = QStringLiteral(RDT_SCREENSHOT_DIR "/main-window-check.png");
        QVERIFY(window.grab().save(shot));
        qInfo("screenshot: %s", qPrintable(shot));
    }
};

QTEST_MAIN(MainWindowTest)
#include "sshd_gui_main_window.moc"
