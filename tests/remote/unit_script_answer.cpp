// A script's answer apart from a login shell's banner: the header found at a line start
// only, after banners with and without a final newline; a download stream cut anywhere
// (the header split across writes) reaching the file without one banner byte; and a
// server that never sends the header refused instead of buffering forever.
#include "HeaderSkippingOutput.h"
#include "ScriptAnswer.h"

#include <QProcess>
#include <QtTest>

using rdt::HeaderSkippingOutput;
using rdt::ScriptAnswer;

namespace {

class Collect : public rdt::CommandOutput {
public:
    bool write(const char *data, qint64 size) override
    {
        bytes.append(data, size);
        return true;
    }
    QString errorString() const override { return {}; }
    QByteArray bytes;
};

} // namespace

class ScriptAnswerTest : public QObject {
    Q_OBJECT

private slots:
    void answerFollowsTheHeaderLine()
    {
        const QByteArray tag = "@rdt-x 1";
        QCOMPARE(ScriptAnswer::after("\n@rdt-x 1\nanswer\n", tag), std::optional<QByteArray>("answer\n"));
        QCOMPARE(ScriptAnswer::after("Welcome\n@rdt-x 1\n\n", tag), std::optional<QByteArray>("\n"));
        // A banner without a final newline: the script's own newline ends it.
        QCOMPARE(ScriptAnswer::after("no newline\n@rdt-x 1\n42", tag), std::optional<QByteArray>("42"));
        // The tag inside a banner line is not the header.
        QCOMPARE(ScriptAnswer::after("say @rdt-x 1\n", tag), std::nullopt);
        QCOMPARE(ScriptAnswer::after("@rdt-x 10\n", tag), std::nullopt);
        QCOMPARE(ScriptAnswer::after("", tag), std::nullopt);
    }

    void printedHeaderIsFoundAfterARealShellsBanner()
    {
        QProcess shell;
        shell.start(QStringLiteral("/bin/sh"),
                    {QStringLiteral("-c"), QString::fromUtf8("printf 'banner without newline'; "
                                                             + ScriptAnswer::printHeader("@rdt-x 1") + "echo done")});
        QVERIFY(shell.waitForFinished(10000));
        QCOMPARE(ScriptAnswer::after(shell.readAllStandardOutput(), "@rdt-x 1"), std::optional<QByteArray>("done\n"));
    }

    void streamReachesTheSinkWithoutTheBanner()
    {
        const QByteArray banner = "Welcome\ndir ok\n@@rdt-transfer 1 is not it\nno newline";
        const QByteArray header = "@@rdt-transfer 1\n";
        const QByteArray tag = "@@rdt-transfer 1";
        QByteArray payload(70000, Qt::Uninitialized);
        for (int i = 0; i < payload.size(); ++i)
            payload[i] = char((i * 7) & 0xff);
        const QByteArray stream = banner + '\n' + header + payload;
        for (int chunk : {1, 3, 16, 17, 4096, int(stream.size())}) {
            auto sink = std::make_shared<Collect>();
            HeaderSkippingOutput output(tag, sink);
            for (qsizetype at = 0; at < stream.size(); at += chunk)
                QVERIFY(output.write(stream.constData() + at, qMin<qsizetype>(chunk, stream.size() - at)));
            QVERIFY(output.headerSeen());
            QCOMPARE(sink->bytes.size(), payload.size());
            QVERIFY2(sink->bytes == payload, qPrintable(QStringLiteral("chunk %1").arg(chunk)));
        }
    }

    void noHeaderIsRefusedNotBufferedForever()
    {
        auto sink = std::make_shared<Collect>();
        HeaderSkippingOutput output("@@rdt-transfer 1", sink);
        const QByteArray line(1000, 'x');
        bool accepted = true;
        for (int i = 0; i < 100 && accepted; ++i)
            accepted = output.write((line + '\n').constData(), line.size() + 1);
        QVERIFY(!accepted);
        QVERIFY(!output.headerSeen());
        QVERIFY(sink->bytes.isEmpty());
        QVERIFY2(output.errorString().contains(QLatin1String("without the transfer's header line")),
                 qPrintable(output.errorString()));
    }
};

QTEST_GUILESS_MAIN(ScriptAnswerTest)
#include "unit_script_answer.moc"
