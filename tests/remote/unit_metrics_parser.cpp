// MetricsLineParser keeps exactly the complete lines of a metrics.jsonl that arrives in
// pieces: every split point, torn last lines, garbage and unknown events, a reader that
// resumes from the last complete line, and a file truncated and restarted.
#include "MetricsLineParser.h"

#include <QtTest>

#include <cmath>

using rdt::MetricsBatch;
using rdt::MetricsEvent;
using rdt::MetricsLineParser;

namespace {

QByteArray stepLine(int step, double loss)
{
    return QStringLiteral("{\"step\":%1,\"loss\":%2,\"lr\":0.0001,\"grad_norm\":0.5,\"samples_per_s\":12.5,"
                          "\"epoch\":0,\"data_wait_s\":0.01,\"time\":1700000000.%1}\n")
        .arg(step).arg(loss).toUtf8();
}

// A run as the trainer writes it: start, steps 1..n, a sample, a checkpoint, done.
QByteArray runFile(int steps)
{
    QByteArray file = "{\"event\":\"start\",\"version\":\"0.3.0\",\"world_size\":1,\"step\":0,\"resumed_from\":\"\","
                      "\"config\":{\"model\":{\"hidden_size\":64},\"train\":{\"max_train_steps\":" +
                      QByteArray::number(steps) + "}},\"time\":1700000000.0}\n";
    for (int step = 1; step <= steps; ++step) {
        file += stepLine(step, 1.0 / step);
        if (step == 2)
            file += "{\"event\":\"sample\",\"step\":2,\"sample_mse\":0.25,\"sample_l2err\":0.5,\"time\":1700000001}\n";
    }
    file += "{\"event\":\"checkpoint\",\"step\":" + QByteArray::number(steps) + ",\"path\":\"checkpoint-" +
            QByteArray::number(steps) + "\",\"time\":1700000002}\n";
    file += "{\"event\":\"done\",\"step\":" + QByteArray::number(steps) + ",\"time\":1700000003}\n";
    return file;
}

QList<qint64> stepsOf(const rdt::MetricsEventList &events)
{
    QList<qint64> steps;
    for (const MetricsEvent &event : events) {
        if (event.kind == MetricsEvent::Kind::Step)
            steps.append(event.step);
    }
    return steps;
}

QList<qint64> range(qint64 from, qint64 to)
{
    QList<qint64> steps;
    for (qint64 s = from; s <= to; ++s)
        steps.append(s);
    return steps;
}

} // namespace

class MetricsParserTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesEveryKind()
    {
        MetricsLineParser parser;
        const MetricsBatch batch = parser.feed(runFile(3));
        QCOMPARE(batch.events.size(), 7);
        QVERIFY(!batch.restarted);
        const MetricsEvent &start = batch.events[0];
        QCOMPARE(start.kind, MetricsEvent::Kind::Start);
        QCOMPARE(start.version, QStringLiteral("0.3.0"));
        QCOMPARE(start.maxTrainSteps, 3);
        QCOMPARE(start.worldSize, 1);
        QCOMPARE(start.config.value(QStringLiteral("model")).toObject().value(QStringLiteral("hidden_size")).toInt(), 64);
        QCOMPARE(start.offset, 0);
        const MetricsEvent &step = batch.events[1];
        QCOMPARE(step.kind, MetricsEvent::Kind::Step);
        QCOMPARE(step.step, 1);
        QCOMPARE(step.loss, 1.0);
        QCOMPARE(step.learningRate, 0.0001);
        QCOMPARE(step.gradNorm, 0.5);
        QCOMPARE(step.samplesPerSecond, 12.5);
        QCOMPARE(step.epoch, 0.0);
        QVERIFY(step.dataWaitSeconds.has_value());
        QCOMPARE(*step.dataWaitSeconds, 0.01);
        QCOMPARE(step.offset, runFile(3).indexOf("{\"step\":1,"));
        const MetricsEvent &sample = batch.events[3];
        QCOMPARE(sample.kind, MetricsEvent::Kind::Sample);
        QCOMPARE(sample.step, 2);
        QCOMPARE(sample.sampleMse, 0.25);
        QCOMPARE(sample.sampleL2Error, 0.5);
        QCOMPARE(batch.events[5].kind, MetricsEvent::Kind::Checkpoint);
        QCOMPARE(batch.events[5].path, QStringLiteral("checkpoint-3"));
        QCOMPARE(batch.events[6].kind, MetricsEvent::Kind::Done);
        QCOMPARE(batch.events[6].step, 3);
        QCOMPARE(batch.events[6].time, 1700000003.0);
        QCOMPARE(parser.completeOffset(), runFile(3).size());
        QCOMPARE(parser.garbageLines(), 0);
        QCOMPARE(parser.unknownEvents(), 0);
    }

    void errorEventAndNullLoss()
    {
        MetricsLineParser parser;
        const MetricsBatch batch = parser.feed("{\"step\":4,\"loss\":null,\"lr\":0.1,\"time\":5}\n"
                                               "{\"event\":\"error\",\"message\":\"loss is NaN at step 5\",\"time\":6}\n");
        QCOMPARE(batch.events.size(), 2);
        QVERIFY(std::isnan(batch.events[0].loss));
        QVERIFY(!batch.events[0].dataWaitSeconds.has_value());
        QCOMPARE(batch.events[1].kind, MetricsEvent::Kind::Error);
        QCOMPARE(batch.events[1].message, QStringLiteral("loss is NaN at step 5"));
        QCOMPARE(batch.events[1].time, 6.0);
    }

    void numbersBeyondAnyStepAreRefused()
    {
        // A damaged or hostile file: casting 1e300 to an integer would be undefined.
        MetricsLineParser parser;
        const MetricsBatch batch = parser.feed("{\"step\":1e300,\"loss\":0.5}\n"
                                               "{\"step\":-1e19,\"loss\":0.5}\n"
                                               "{\"event\":\"checkpoint\",\"step\":1e300,\"path\":\"checkpoint-1\"}\n"
                                               "{\"event\":\"start\",\"time\":1,\"step\":1e300,\"config\":{\"max_train_steps\":1e300}}\n"
                                               "{\"step\":7.6,\"loss\":0.5}\n");
        QCOMPARE(parser.garbageLines(), 3);
        QCOMPARE(batch.events.size(), 2);
        QCOMPARE(batch.events[0].kind, MetricsEvent::Kind::Start);
        QCOMPARE(batch.events[0].step, qint64(0));
        QCOMPARE(batch.events[0].maxTrainSteps, qint64(-1));
        QCOMPARE(batch.events[1].step, qint64(8));
    }

    // Every way of cutting the file in two, and byte-by-byte: the same events, no more.
    void everySplitPointGivesTheSameEvents()
    {
        const QByteArray file = runFile(5);
        MetricsLineParser whole;
        const rdt::MetricsEventList expected = whole.feed(file).events;
        for (int cut = 0; cut <= file.size(); ++cut) {
            MetricsLineParser parser;
            rdt::MetricsEventList events = parser.feed(file.left(cut)).events;
            events += parser.feed(file.mid(cut)).events;
            QCOMPARE(events.size(), expected.size());
            QCOMPARE(stepsOf(events), range(1, 5));
            QCOMPARE(parser.garbageLines(), 0);
        }
        MetricsLineParser bytewise;
        rdt::MetricsEventList events;
        for (char c : file)
            events += bytewise.feed(QByteArray(1, c)).events;
        QCOMPARE(events.size(), expected.size());
        for (int i = 0; i < events.size(); ++i)
            QCOMPARE(events[i].offset, expected[i].offset);
    }

    void tornLastLineIsHeldBack()
    {
        MetricsLineParser parser;
        const QByteArray line = stepLine(7, 0.5);
        MetricsBatch batch = parser.feed(line.left(line.size() - 1));   // everything but the newline
        QVERIFY(batch.events.isEmpty());
        QCOMPARE(parser.completeOffset(), 0);
        QCOMPARE(parser.pendingBytes(), line.size() - 1);
        batch = parser.feed("\n");
        QCOMPARE(stepsOf(batch.events), QList<qint64>{7});
        QCOMPARE(parser.completeOffset(), line.size());
        QCOMPARE(parser.pendingBytes(), 0);
    }

    void garbageAndUnknownLinesAreSkippedAndCounted()
    {
        MetricsLineParser parser;
        QByteArray file = stepLine(1, 1.0);
        file += "not json at all\n";
        file += "[1, 2, 3]\n";
        file += "\n   \n";                                           // blank: neither
        file += "{\"event\":\"eval_video\",\"step\":3}\n";             // a newer trainer's event
        file += "{\"note\":\"hello\"}\n";                              // no event, no loss
        file += "{\"event\":\"checkpoint\",\"path\":\"checkpoint-x\"}\n";  // known, no step
        file += "{\"step\":2,\"loss\":0.5\n";                          // cut JSON
        file += stepLine(3, 0.3);
        file += "{\"step\":4,\"loss\":0.2}\r\n";                       // CRLF
        const MetricsBatch batch = parser.feed(file);
        QCOMPARE(stepsOf(batch.events), (QList<qint64>{1, 3, 4}));
        QCOMPARE(parser.garbageLines(), 4);
        QCOMPARE(parser.unknownEvents(), 2);
        QVERIFY2(parser.lastProblem().startsWith(QStringLiteral("byte %1:").arg(file.indexOf("{\"step\":2,"))),
                 qPrintable(parser.lastProblem()));
        QCOMPARE(parser.completeOffset(), file.size());
    }

    // A reader that lost its connection asks again from completeOffset(): the unfinished
    // line comes again, whole, and nothing is duplicated.
    void resumeFromCompleteOffsetHasNoDuplicate()
    {
        const QByteArray file = runFile(6);
        const qint64 cut = file.indexOf("{\"step\":4,") + 10;   // inside step 4's line
        MetricsLineParser parser;
        rdt::MetricsEventList events = parser.feed(file.left(cut)).events;
        const qint64 resumeAt = parser.completeOffset();
        QCOMPARE(resumeAt, file.indexOf("{\"step\":4,"));
        const MetricsBatch batch = parser.feed(resumeAt, file.mid(resumeAt));
        QVERIFY(!batch.restarted);
        events += batch.events;
        QCOMPARE(stepsOf(events), range(1, 6));
        // Overlap inside the unfinished line is trimmed too.
        MetricsLineParser overlap;
        rdt::MetricsEventList again = overlap.feed(file.left(cut)).events;
        again += overlap.feed(cut - 3, file.mid(cut - 3)).events;
        QCOMPARE(stepsOf(again), range(1, 6));
        QCOMPARE(overlap.garbageLines(), 0);
    }

    void truncatedAndRestartedFile()
    {
        MetricsLineParser parser;
        const QByteArray first = runFile(4);
        QCOMPARE(stepsOf(parser.feed(first).events), range(1, 4));
        // Told the size shrank: back to the start.
        QVERIFY(!parser.noteFileSize(first.size()));
        QVERIFY(parser.noteFileSize(10));
        QCOMPARE(parser.completeOffset(), 0);
        const QByteArray second = runFile(2);
        MetricsBatch batch = parser.feed(0, second);
        QVERIFY(!batch.restarted);   // noteFileSize already restarted it
        QCOMPARE(stepsOf(batch.events), range(1, 2));
        // Not told: bytes at offset 0 after more were read also restart it.
        batch = parser.feed(0, first.left(first.indexOf("{\"step\":3,")));
        QVERIFY(batch.restarted);
        QCOMPARE(stepsOf(batch.events), range(1, 2));
        QCOMPARE(batch.events.first().kind, MetricsEvent::Kind::Start);
        QCOMPARE(parser.garbageLines(), 0);
    }

    void missingBytesDropTheCutLine()
    {
        MetricsLineParser parser;
        const QByteArray file = runFile(5);
        const qint64 inStep2 = file.indexOf("{\"step\":2,") + 5;
        const qint64 inStep3 = file.indexOf("{\"step\":3,") + 5;
        rdt::MetricsEventList events = parser.feed(file.left(inStep2)).events;
        events += parser.feed(inStep3, file.mid(inStep3)).events;   // a hole
        QCOMPARE(stepsOf(events), (QList<qint64>{1, 4, 5}));
        QCOMPARE(parser.garbageLines(), 1);   // the tail of step 3's line
        QVERIFY2(parser.lastProblem().contains(QLatin1String("missing")), qPrintable(parser.lastProblem()));
        QCOMPARE(parser.completeOffset(), file.size());
    }
};

QTEST_GUILESS_MAIN(MetricsParserTest)
#include "unit_metrics_parser.moc"
