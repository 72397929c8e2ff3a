// Closing the workbench while a connection waits for the user's answer to a host-key
// question: the window closes and the controller (with its connection) goes at once, the
// connection thread is told to stop and ends by itself, unwaited for. Before, the GUI
// thread waited for the connection thread, which waited for the GUI thread's answer.
#include "support_topology.h"

#include "ConnectionPanel.h"
#include "HostKeyDialog.h"
#include "MainWindow.h"
#include "WorkbenchController.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <unistd.h>

namespace {

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (QPushButton *button : parent->findChildren<QPushButton *>())
        if (button->text() == text)
            return button;
    return nullptr;
}

// Threads of this process whose name starts with "ssh" (SshClient names its thread so).
int sshThreads()
{
    int count = 0;
    for (const QString &task : QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(QStringLiteral("/proc/self/task/%1/comm").arg(task));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("ssh"))
            ++count;
    }
    return count;
}

// A deadlock never returns to the test: this thread turns it into a failure that says so.
class Watchdog {
public:
    explicit Watchdog(int seconds)
        : m_thread([this, seconds] {
              for (int i = 0; i < seconds * 10 && !m_done; ++i)
                  std::this_thread::sleep_for(std::chrono::milliseconds(100));
              if (!m_done) {
                  std::fprintf(stderr, "FAIL: closing the window while the host-key question was up did not return "
                                       "within %d s (the GUI thread waits for the connection thread)\n", seconds);
                  std::fflush(stderr);
                  _exit(3);
              }
          })
    {
    }
    ~Watchdog()
    {
        m_done = true;
        m_thread.join();
    }

private:
    std::atomic<bool> m_done{false};
    std::thread m_thread;
};

} // namespace

class CloseWhileAskingTest : public QObject {
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
        // The topology's ssh_config with an empty known_hosts: every host key is unknown.
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral(".ssh")));
        QFile source(m_topo.sshConfigFile());
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray config = source.readAll();
        config.replace(m_topo.knownHostsFile().toUtf8(), m_home.filePath(QStringLiteral(".ssh/known_hosts")).toUtf8());
        QFile target(m_home.filePath(QStringLiteral(".ssh/config")));
        QVERIFY(target.open(QIODevice::WriteOnly));
        target.write(config);
        target.close();
        qputenv("HOME", m_home.path().toUtf8());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.path());
    }

    void closingWhileTheHostKeyQuestionIsUp()
    {
        const int threadsBefore = sshThreads();
        auto *window = new rdt::MainWindow;
        auto *controller = new rdt::WorkbenchController(window);
        window->show();
        window->connectionPanel()->setHost(QStringLiteral("gpu"));

        // The dialog is modal: the poll runs inside its event loop, and there the window is
        // closed and the controller deleted, as the application's exit does.
        bool questionSeen = false;
        bool closed = false;
        qint64 teardownMs = -1;
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&] {
            for (QWidget *widget : QApplication::topLevelWidgets()) {
                auto *dialog = qobject_cast<rdt::HostKeyDialog *>(widget);
                if (!dialog || !dialog->isVisible() || questionSeen)
                    continue;
                questionSeen = true;
                poll.stop();
                Watchdog watchdog(20);
                QElapsedTimer clock;
                clock.start();
                closed = window->close();
                delete controller;
                controller = nullptr;
                teardownMs = clock.elapsed();
                dialog->reject();   // the application's quit ends the dialog's loop the same way
                return;
            }
        });
        poll.start(50);
        QPushButton *connectButton = buttonNamed(window->connectionPanel(), QStringLiteral("Connect"));
        QVERIFY(connectButton);
        connectButton->click();
        QTRY_VERIFY_WITH_TIMEOUT(teardownMs >= 0, 60000);
        QVERIFY(questionSeen);
        QVERIFY(closed);
        QVERIFY2(teardownMs < 2000, qPrintable(QStringLiteral("closing took %1 ms").arg(teardownMs)));
        delete window;
        // The connection thread, declined its answer, stops by itself.
        QTRY_VERIFY2_WITH_TIMEOUT(sshThreads() <= threadsBefore, qPrintable(QStringLiteral("%1 connection threads left")
                                                                                 .arg(sshThreads() - threadsBefore)),
                                  15000);
        qInfo("window closed and controller gone in %lld ms with the question up", teardownMs);
    }
};

QTEST_MAIN(CloseWhileAskingTest)
#include "sshd_gui_close_while_asking.moc"
