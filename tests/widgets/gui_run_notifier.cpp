// Desktop notifications observed on a real D-Bus: the test starts a private session bus
// (dbus-daemon --session), serves org.freedesktop.Notifications on it from an object of its
// own, and checks the Notify calls the workbench makes: a run that fails (with the
// recognised failure's explanation from its log), one that finishes, one that stops making
// progress, a long upload ending while the window is minimised; nothing when turned off,
// nothing for runs already over when first seen, and "none" where no service runs.
#include "DataModelPage.h"
#include "DesktopNotifier.h"
#include "RunDashboard.h"
#include "RunNotifier.h"
#include "WizardSession.h"

#include <QAction>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

using namespace rdt;

// The notification daemon's side of the freedesktop Notifications interface (1.2).
class FakeNotifications : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call {
        QString appName, summary, body;
        uchar urgency = 255;
    };
    QList<Call> calls;

public slots:
    uint Notify(const QString &appName, uint, const QString &, const QString &summary, const QString &body,
                const QStringList &, const QVariantMap &hints, int)
    {
        calls.append(Call{appName, summary, body, hints.value(QStringLiteral("urgency")).value<uchar>()});
        return uint(calls.size());
    }
    QStringList GetCapabilities() { return {QStringLiteral("body")}; }
};

class RunNotifierTest : public QObject {
    Q_OBJECT

private:
    QProcess m_daemon;
    QString m_address;
    FakeNotifications m_service;
    std::unique_ptr<RunDashboard> m_dashboard;
    std::unique_ptr<DesktopNotifier> m_notifier;
    std::unique_ptr<RunNotifier> m_runs;

    // Waits for the n-th Notify call; says what came when it does not.
    bool waitForCalls(int n)
    {
        const bool arrived = QTest::qWaitFor([&] { return m_service.calls.size() >= n; }, 20000);
        if (!arrived)
            qWarning("expected %d Notify calls, saw %lld", n, qlonglong(m_service.calls.size()));
        return arrived;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);   // QSettings in a test folder, not the user's
        QCoreApplication::setOrganizationName(QStringLiteral("rdt-test"));
        QCoreApplication::setApplicationName(QStringLiteral("gui_run_notifier"));
        DesktopNotifier::setEnabledSetting(true);

        m_daemon.start(QStringLiteral("dbus-daemon"), {QStringLiteral("--session"), QStringLiteral("--print-address"),
                                                        QStringLiteral("--nofork")});
        QVERIFY2(m_daemon.waitForStarted(10000), qPrintable(m_daemon.errorString()));
        QVERIFY2(QTest::qWaitFor([&] { return m_daemon.canReadLine(); }, 20000),
                 qPrintable(QStringLiteral("dbus-daemon printed no address: %1").arg(QString::fromUtf8(m_daemon.readAllStandardError()))));
        m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());

        QDBusConnection service = QDBusConnection::connectToBus(m_address, QStringLiteral("notification-daemon"));
        QVERIFY2(service.isConnected(), qPrintable(service.lastError().message()));
        QVERIFY(service.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &m_service,
                                       QDBusConnection::ExportAllSlots));
        QVERIFY(service.registerService(QStringLiteral("org.freedesktop.Notifications")));

        QDBusConnection workbench = QDBusConnection::connectToBus(m_address, QStringLiteral("workbench"));
        QVERIFY(workbench.isConnected());
        m_dashboard = std::make_unique<RunDashboard>();
        m_notifier = std::make_unique<DesktopNotifier>(workbench, nullptr);
        m_runs = std::make_unique<RunNotifier>(m_dashboard.get(), m_notifier.get(), m_dashboard.get());
        m_runs->setCheckIntervalMs(100);
        m_dashboard->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dashboard.get()));
    }

    void cleanupTestCase()
    {
        m_runs.reset();
        m_notifier.reset();
        m_dashboard.reset();
        m_daemon.terminate();
        m_daemon.waitForFinished(5000);
    }

    void runsOverWhenFirstSeenAreNotAnnounced()
    {
        m_dashboard->setRuns({RunRow{QStringLiteral("old"), RunRowState::Failed, 40, 100, 0.5, {}},
                              RunRow{QStringLiteral("oom"), RunRowState::Running, 10, 1000, 0.9, {}},
                              RunRow{QStringLiteral("done"), RunRowState::Running, 990, 1000, 0.2, {}}});
        QTest::qWait(300);
        QCOMPARE(m_service.calls.size(), 0);
    }

    void failedRunSaysTheRecognisedFailure()
    {
        m_dashboard->appendLog(QStringLiteral("oom"),
                               {QStringLiteral("step 120 loss 0.41"),
                                QStringLiteral("error: out of memory with --train_batch_size 32 on cuda: try a smaller "
                                               "--train_batch_size (CUDA out of memory. Tried to allocate 2.00 GiB)")});
        m_dashboard->updateRun(RunRow{QStringLiteral("oom"), RunRowState::Failed, 120, 1000, 0.41, {}});
        QVERIFY(waitForCalls(1));
        const FakeNotifications::Call &call = m_service.calls.at(0);
        QCOMPARE(call.appName, QStringLiteral("RDT Workbench"));
        QCOMPARE(call.summary, QStringLiteral("Run oom failed at step 120"));
        QCOMPARE(call.body, QStringLiteral("CUDA out of memory: The GPU ran out of memory at --train_batch_size 32."));
        QCOMPARE(call.urgency, uchar(DesktopNotifier::Urgency::Critical));
    }

    void finishedRunIsAnnounced()
    {
        m_dashboard->updateRun(RunRow{QStringLiteral("done"), RunRowState::Finished, 1000, 1000, 0.1875, {}});
        QVERIFY(waitForCalls(2));
        QCOMPARE(m_service.calls.at(1).summary, QStringLiteral("Run done finished"));
        QCOMPARE(m_service.calls.at(1).body, QStringLiteral("1000 steps; last loss 0.1875."));
    }

    void stalledRunIsAnnouncedOnce()
    {
        m_runs->setStallSeconds(1);
        m_dashboard->updateRun(RunRow{QStringLiteral("slow"), RunRowState::Running, 5, 1000, 0.7, {}});
        QVERIFY(waitForCalls(3));
        QCOMPARE(m_service.calls.at(2).summary, QStringLiteral("Run slow stopped making progress"));
        QVERIFY2(m_service.calls.at(2).body.startsWith(QStringLiteral("No new step for 1 second(s) (still at step 5)")),
                 qPrintable(m_service.calls.at(2).body));
        QTest::qWait(1500);
        QCOMPARE(m_service.calls.size(), 3);   // once per stall, not every check
        // A new step re-arms it; the run then finishing is announced and does not stall.
        m_dashboard->updateRun(RunRow{QStringLiteral("slow"), RunRowState::Finished, 6, 1000, 0.6, {}});
        QVERIFY(waitForCalls(4));
        QCOMPARE(m_service.calls.at(3).summary, QStringLiteral("Run slow finished"));
        m_runs->setStallSeconds(RunNotifier::kDefaultStallSeconds);
    }

    void longUploadWhileMinimised()
    {
        m_runs->uploadEnded(QStringLiteral("libero_10.hdf5"), 90000, QString());   // window shown: nothing
        m_dashboard->showMinimized();
        QVERIFY(QTest::qWaitFor([&] { return m_dashboard->isMinimized(); }, 5000));
        m_runs->uploadEnded(QStringLiteral("libero_10.hdf5"), 5000, QString());    // short: nothing
        m_runs->uploadEnded(QStringLiteral("libero_10.hdf5"), 90000, QString());
        QVERIFY(waitForCalls(5));
        QCOMPARE(m_service.calls.at(4).summary, QStringLiteral("Upload finished"));
        QCOMPARE(m_service.calls.at(4).body, QStringLiteral("Uploaded and verified: libero_10.hdf5."));

        // The setup wizard's upload, timed from its start; a failed one says so.
        WizardSession session;
        DataModelPage page(&session, nullptr);
        m_runs->watchUploads(&page);
        m_runs->setLongUploadSeconds(1);
        emit page.uploadStarted();
        QTest::qWait(1200);
        emit page.uploadFinished(false);
        QVERIFY(waitForCalls(6));
        QCOMPARE(m_service.calls.at(5).summary, QStringLiteral("Upload failed"));
        QVERIFY2(m_service.calls.at(5).body.startsWith(QStringLiteral("the dataset and the model: it failed")),
                 qPrintable(m_service.calls.at(5).body));
        emit page.uploadFinished(true);   // no start before it: nothing
        m_runs->setLongUploadSeconds(RunNotifier::kLongUploadSeconds);
        m_dashboard->showNormal();
    }

    void turnedOffSaysNothing()
    {
        m_runs->toggleAction()->setChecked(false);
        QVERIFY(!DesktopNotifier::enabledSetting());
        m_dashboard->updateRun(RunRow{QStringLiteral("quiet"), RunRowState::Running, 1, 10, 1.0, {}});
        m_dashboard->updateRun(RunRow{QStringLiteral("quiet"), RunRowState::Finished, 10, 10, 0.5, {}});
        QTest::qWait(500);
        QCOMPARE(m_service.calls.size(), 6);
        m_runs->toggleAction()->setChecked(true);
    }

    void noServiceNoTrayMeansNone()
    {
        QDBusConnection service = QDBusConnection::connectToBus(m_address, QStringLiteral("notification-daemon"));
        QVERIFY(service.unregisterService(QStringLiteral("org.freedesktop.Notifications")));
        QSignalSpy notified(m_notifier.get(), &DesktopNotifier::notified);
        m_notifier->notify(QStringLiteral("summary"), QStringLiteral("body"));
        QCOMPARE(notified.size(), 1);
        QCOMPARE(notified.at(0).at(2).toString(), QStringLiteral("none"));   // offscreen: no tray either
        QTest::qWait(300);
        QCOMPARE(m_service.calls.size(), 6);
    }
};

QTEST_MAIN(RunNotifierTest)
#include "gui_run_notifier.moc"
