// The Stop question as the user meets it: the modal "Checkpoint and stop run X?" box found
// among the top-level widgets and answered by clicking, its "Don't ask again" kept as a
// setting only when the stop was confirmed, no box at all once that is set, and the
// dashboard's Stop carried out only after a yes.
#include "DashboardController.h"
#include "MainWindow.h"
#include "QuitGuard.h"
#include "RunDashboard.h"
#include "StopQuestion.h"
#include "WorkbenchController.h"

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

namespace {

// Answers the next Stop question: ticks "Don't ask again" if asked, clicks the button with
// `buttonText`, and keeps what the box said. Polls, since the box is modal.
class Answerer : public QObject {
public:
    Answerer(const QString &buttonText, bool dontAskAgain) : m_button(buttonText), m_dontAsk(dontAskAgain)
    {
        connect(&m_poll, &QTimer::timeout, this, &Answerer::look);
        m_poll.start(20);
    }
    int boxesSeen = 0;
    QString text;
    bool clicked = false;

private:
    void look()
    {
        for (QWidget *widget : QApplication::topLevelWidgets()) {
            auto *box = qobject_cast<QMessageBox *>(widget);
            if (!box || !box->isVisible())
                continue;
            ++boxesSeen;
            text = box->text();
            if (m_dontAsk && box->checkBox())
                box->checkBox()->setChecked(true);
            for (QAbstractButton *button : box->buttons())
                if (button->text().remove(QLatin1Char('&')) == m_button) {
                    clicked = true;
                    button->click();
                    return;
                }
            box->reject();   // no such button: leave no box behind
        }
    }
    QString m_button;
    bool m_dontAsk;
    QTimer m_poll;
};

} // namespace

class StopQuestionTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_settings;

private slots:
    void initTestCase()
    {
        QVERIFY(m_settings.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    }

    void init() { QSettings().remove(rdt::StopQuestion::settingKey()); }

    void cancelKeepsTheRunAndTheQuestion()
    {
        QWidget parent;
        parent.show();
        Answerer answer(QStringLiteral("Cancel"), true);
        QVERIFY(!rdt::StopQuestion::confirm(&parent, QStringLiteral("day-3")));
        QVERIFY(answer.clicked);
        QCOMPARE(answer.text, QStringLiteral("Checkpoint and stop run day-3?"));
        // "Don't ask again" with Cancel: nothing was decided, the question stays.
        QVERIFY(rdt::StopQuestion::isEnabled());
        QVERIFY(!QSettings().contains(rdt::StopQuestion::settingKey()));
    }

    void stopWithoutTickingAsksNextTime()
    {
        QWidget parent;
        parent.show();
        Answerer answer(QStringLiteral("Checkpoint and stop"), false);
        QVERIFY(rdt::StopQuestion::confirm(&parent, QStringLiteral("day")));
        QVERIFY(answer.clicked);
        QVERIFY(rdt::StopQuestion::isEnabled());
    }

    void dontAskAgainIsKeptAndHonoured()
    {
        QWidget parent;
        parent.show();
        {
            Answerer answer(QStringLiteral("Checkpoint and stop"), true);
            QVERIFY(rdt::StopQuestion::confirm(&parent, QStringLiteral("day-2")));
            QVERIFY(answer.clicked);
        }
        QVERIFY(!rdt::StopQuestion::isEnabled());
        QSettings().sync();
        // Kept as a setting, as a later session reads it.
        QCOMPARE(QSettings().value(rdt::StopQuestion::settingKey()).toBool(), false);
        // No box this time: the stop goes ahead at once.
        Answerer watcher(QStringLiteral("Cancel"), false);
        QVERIFY(rdt::StopQuestion::confirm(&parent, QStringLiteral("day-2")));
        QTest::qWait(100);
        QCOMPARE(watcher.boxesSeen, 0);
        // Turned back on by removing the setting.
        rdt::StopQuestion::setEnabled(true);
        QVERIFY(rdt::StopQuestion::isEnabled());
    }

    // The dashboard's Stop goes through the question: a no leaves the run alone (the
    // status line does not move), a yes carries the stop out (here, with no server, it
    // says there is no connection).
    void dashboardStopAsksFirst()
    {
        rdt::MainWindow window;
        rdt::WorkbenchController controller(&window);
        window.show();
        QLabel *status = window.runsStatusLine();
        const QString before = status->text();
        {
            Answerer answer(QStringLiteral("Cancel"), false);
            Q_EMIT window.runDashboard()->stopRequested(QStringLiteral("day-3"));
            QVERIFY(answer.clicked);
            QCOMPARE(answer.text, QStringLiteral("Checkpoint and stop run day-3?"));
        }
        QTest::qWait(50);
        QCOMPARE(status->text(), before);
        {
            Answerer answer(QStringLiteral("Checkpoint and stop"), false);
            Q_EMIT window.runDashboard()->stopRequested(QStringLiteral("day-3"));
            QVERIFY(answer.clicked);
            QCOMPARE(status->text(), QStringLiteral("Cannot stop day-3: not connected"));
        }
    }
};

QTEST_MAIN(StopQuestionTest)
#include "gui_stop_question.moc"
