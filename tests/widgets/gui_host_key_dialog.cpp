// The unknown-host-key dialog: Enter declines, because trusting a key must be a deliberate
// click on "Accept once" or "Accept and remember", which answer what they say.
#include "HostKeyDialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTimer>
#include <QtTest>

using rdt::HostKeyAnswer;

namespace {

rdt::HostKeyQuestion question()
{
    return rdt::HostKeyQuestion{QStringLiteral("gpu01 via jump01"), QStringLiteral("ssh-ed25519"),
                                QStringLiteral("SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
                                QStringLiteral("/home/user/.ssh/known_hosts")};
}

QPushButton *buttonNamed(QDialog &dialog, const QString &text)
{
    for (QPushButton *button : dialog.findChildren<QPushButton *>())
        if (button->text().remove(QLatin1Char('&')) == text)
            return button;
    return nullptr;
}

} // namespace

class HostKeyDialogTest : public QObject {
    Q_OBJECT

private slots:
    void enterDeclines()
    {
        rdt::HostKeyDialog dialog(question());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QPushButton *remember = buttonNamed(dialog, QStringLiteral("Accept and remember"));
        QPushButton *cancel = buttonNamed(dialog, QStringLiteral("Cancel"));
        QVERIFY(remember && cancel);
        QVERIFY(!remember->isDefault());
        QVERIFY(!remember->autoDefault());
        QVERIFY(cancel->isDefault());
        QTest::keyClick(&dialog, Qt::Key_Return);
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(dialog.answer(), HostKeyAnswer::Reject);
    }

    void buttonsAnswerWhatTheySay()
    {
        for (const auto &[text, expected] : {std::pair{QStringLiteral("Accept once"), HostKeyAnswer::AcceptOnce},
                                             std::pair{QStringLiteral("Accept and remember"), HostKeyAnswer::AcceptAndRemember}}) {
            rdt::HostKeyDialog dialog(question());
            dialog.show();
            QPushButton *button = buttonNamed(dialog, text);
            QVERIFY(button);
            button->click();
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
            QCOMPARE(dialog.answer(), expected);
        }
    }
};

QTEST_MAIN(HostKeyDialogTest)
#include "gui_host_key_dialog.moc"
