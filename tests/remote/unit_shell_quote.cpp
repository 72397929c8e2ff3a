// shellCommandLine: every byte string survives a real POSIX shell (dash and bash) as
// exactly one argument, and environment variables arrive unchanged.
#include "ShellQuote.h"

#include <QProcess>
#include <QtTest>

namespace {

// Runs `line` with `shell -c` and returns what it printed.
QByteArray runShell(const QString &shell, const QByteArray &line)
{
    QProcess process;
    process.start(shell, {QStringLiteral("-c"), QString::fromLocal8Bit(line)});
    process.waitForFinished(10000);
    return process.readAllStandardOutput();
}

} // namespace

class ShellQuoteTest : public QObject {
    Q_OBJECT

private slots:
    void hostileArgumentsSurvive_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::newRow("dash") << QStringLiteral("/bin/sh");
        QTest::newRow("bash") << QStringLiteral("/bin/bash");
    }

    void hostileArgumentsSurvive()
    {
        QFETCH(QString, shell);
        const QList<QByteArray> hostile = {
            "", " ", "a b", "'", "''", "\"", "\\", "$(echo pwned)", "`echo pwned`", "${HOME}", "$0",
            "a\nb", "\t", "*", "?", "[a]", "~", "-e", "--", ";", "&&", "|", ">x", "<x", "#", "!",
            "\xc3\xbc\xe2\x9c\x93", "it's", "'\\''", "\x01\x1b[31m",
        };
        QList<QByteArray> argv = {"printf", "%s\\0"};
        argv += hostile;
        QByteArray expected;
        for (const QByteArray &argument : hostile)
            expected += argument + '\0';
        QCOMPARE(runShell(shell, rdt::shellCommandLine(argv)), expected);
    }

    void environmentSurvives()
    {
        const rdt::EnvironmentList environment = {{"RDT_X", "a 'b' $(c)\nd"}, {"_Y2", ""}};
        const QByteArray line = rdt::shellCommandLine({"sh", "-c", "printf '%s|%s' \"$RDT_X\" \"$_Y2\""}, environment);
        QCOMPARE(runShell(QStringLiteral("/bin/sh"), line), QByteArray("a 'b' $(c)\nd|"));
    }

    void environmentNamesAreValidated()
    {
        QVERIFY(rdt::isValidEnvironmentName("PATH"));
        QVERIFY(rdt::isValidEnvironmentName("_a1"));
        QVERIFY(!rdt::isValidEnvironmentName(""));
        QVERIFY(!rdt::isValidEnvironmentName("1A"));
        QVERIFY(!rdt::isValidEnvironmentName("A B"));
        QVERIFY(!rdt::isValidEnvironmentName("A=B"));
        QVERIFY(!rdt::isValidEnvironmentName("$(x)"));
    }
};

QTEST_GUILESS_MAIN(ShellQuoteTest)
#include "unit_shell_quote.moc"
