// The run scripts run here under dash on local folders, as the server would run them: the
// follow loop (appends, a torn line, truncation, replacement, resuming at an offset) with
// its frame decoder, and the run-list scan with the state rule (running by pid file,
// finished, failed, stopped, killed, started by hand or by the setup wizard).
#include "FollowFrameDecoder.h"
#include "RemoteFileFollower.h"
#include "RunList.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>

using namespace rdt;

namespace {

// Runs argv ({"sh", "-c", SCRIPT, NAME, ARGS...}) under dash, as a login-less server would.
void startScript(QProcess &process, const QList<QByteArray> &argv)
{
    QStringList arguments;
    for (qsizetype i = 1; i < argv.size(); ++i)
        arguments.append(QString::fromUtf8(argv[i]));
    process.start(QStringLiteral("dash"), arguments);
}

QByteArray runScript(const QList<QByteArray> &argv)
{
    QProcess process;
    startScript(process, argv);
    process.waitForFinished(30000);
    return process.readAllStandardOutput();
}

bool writeFile(const QString &path, const QByteArray &data, QIODevice::OpenMode mode = QIODevice::WriteOnly)
{
    QFile file(path);
    return file.open(mode) && file.write(data) == data.size();
}

// Reads frames from a running follow script until `enough` says so (or 10 s pass).
class FollowReader {
public:
    explicit FollowReader(QProcess &process) : m_process(process) {}

    bool readUntil(const std::function<bool(const QList<FollowFrame> &)> &enough)
    {
        QElapsedTimer timer;
        timer.start();
        while (!enough(frames)) {
            if (timer.elapsed() > 10000)
                return false;
            m_process.waitForReadyRead(100);
            Result<QList<FollowFrame>> decoded = m_decoder.feed(m_process.readAllStandardOutput());
            if (!decoded)
                return false;
            frames += decoded.value();
        }
        return true;
    }

    QByteArray dataFrom(qsizetype first = 0) const
    {
        QByteArray bytes;
        for (qsizetype i = first; i < frames.size(); ++i) {
            if (frames[i].kind == FollowFrame::Kind::Data)
                bytes += frames[i].bytes;
        }
        return bytes;
    }

    QList<FollowFrame> frames;

private:
    QProcess &m_process;
    FollowFrameDecoder m_decoder;
};

bool hasKind(const QList<FollowFrame> &frames, FollowFrame::Kind kind, qsizetype from = 0)
{
    for (qsizetype i = from; i < frames.size(); ++i) {
        if (frames[i].kind == kind)
            return true;
    }
    return false;
}

} // namespace

class RunScriptsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decoderKeepsDataBytesOutOfTheMarkers()
    {
        FollowFrameDecoder decoder;
        // A banner, then a data frame whose bytes look like markers, split anywhere.
        const QByteArray output = "Welcome!\n@rdt-follow 1\n@data 0 26\n@reset truncated 9\n@eof 1\n@eof 26 1234\n@alive 26\n";
        QList<FollowFrame> frames;
        for (char c : output) {
            Result<QList<FollowFrame>> decoded = decoder.feed(QByteArray(1, c));
            QVERIFY2(decoded.ok(), qPrintable(decoded.error().message));
            frames += decoded.value();
        }
        QCOMPARE(frames.size(), 3);
        QCOMPARE(frames[0].kind, FollowFrame::Kind::Data);
        QCOMPARE(frames[0].bytes, QByteArray("@reset truncated 9\n@eof 1\n"));
        QCOMPARE(frames[1].kind, FollowFrame::Kind::EndOfFile);
        QCOMPARE(frames[1].offset, 26);
        QCOMPARE(frames[1].inode, QByteArray("1234"));
        QCOMPARE(frames[2].kind, FollowFrame::Kind::Alive);
    }

    void decoderRejectsWhatIsNotTheProtocol()
    {
        FollowFrameDecoder decoder;
        QVERIFY(decoder.feed("@rdt-follow 1\n@data 0 3\nabc").ok());
        const Result<QList<FollowFrame>> bad = decoder.feed("@bogus 1\n");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.contains(QLatin1String("@bogus")), qPrintable(bad.error().message));
        FollowFrameDecoder huge;
        QVERIFY(!huge.feed("@rdt-follow 1\n@data 0 99999999\n").ok());
        // A server that never sends a line break, before the header or after it: one clear
        // error once a line passes 64 KiB, instead of a buffer that grows without end.
        for (const QByteArray &start : {QByteArray(), QByteArray("@rdt-follow 1\n")}) {
            FollowFrameDecoder endless;
            QVERIFY(endless.feed(start + QByteArray(60 * 1024, 'x')).ok());
            const Result<QList<FollowFrame>> cut = endless.feed(QByteArray(8 * 1024, 'x'));
            QVERIFY(!cut.ok());
            QVERIFY2(cut.error().message.contains(QLatin1String("more than 65536 bytes without a line break")),
                     qPrintable(cut.error().message));
        }
    }

    void followScriptFollowsAppendsTruncationAndReplacement()
    {
        QTemporaryDir dir;
        const QString path = dir.path() + QStringLiteral("/metrics.jsonl");
        QVERIFY(writeFile(path, "{\"step\":1}\n{\"st"));
        QProcess process;
        startScript(process, RemoteFileFollower::command(path, 0, {}, 50));
        FollowReader reader(process);
        // Backfill: everything there, then end of file.
        QVERIFY(reader.readUntil([](const QList<FollowFrame> &f) { return hasKind(f, FollowFrame::Kind::EndOfFile); }));
        QCOMPARE(reader.dataFrom(), QByteArray("{\"step\":1}\n{\"st"));
        QCOMPARE(reader.frames.first().offset, 0);

        // Appended bytes arrive at their offset.
        QVERIFY(writeFile(path, "ep\":2}\n", QIODevice::Append));
        qsizetype mark = reader.frames.size();
        QVERIFY(reader.readUntil([&](const QList<FollowFrame> &f) { return hasKind(f, FollowFrame::Kind::Data, mark); }));
        QCOMPARE(reader.frames[mark].offset, 15);
        QCOMPARE(reader.dataFrom(mark), QByteArray("ep\":2}\n"));

        // Truncated and rewritten shorter: a reset, then the new content from 0.
        mark = reader.frames.size();
        QVERIFY(writeFile(path, "{\"a\":1}\n"));
        QVERIFY(reader.readUntil([&](const QList<FollowFrame> &f) { return hasKind(f, FollowFrame::Kind::Data, mark); }));
        QCOMPARE(reader.frames[mark].kind, FollowFrame::Kind::Reset);
        QCOMPARE(reader.frames[mark].reason, QStringLiteral("truncated"));
        QCOMPARE(reader.frames[mark + 1].offset, 0);
        QCOMPARE(reader.dataFrom(mark), QByteArray("{\"a\":1}\n"));

        // Replaced by a new, longer file: a reset too, though the size grew.
        mark = reader.frames.size();
        QVERIFY(writeFile(path + QStringLiteral(".new"), "{\"b\":2}\n{\"b\":3}\n"));
        // rename(2) replaces it in one step (QFile::rename refuses an existing target).
        QVERIFY(std::rename(QFile::encodeName(path + QStringLiteral(".new")).constData(), QFile::encodeName(path).constData()) == 0);
        QVERIFY(reader.readUntil([&](const QList<FollowFrame> &f) { return hasKind(f, FollowFrame::Kind::Data, mark); }));
        QCOMPARE(reader.frames[mark].kind, FollowFrame::Kind::Reset);
        QCOMPARE(reader.frames[mark].reason, QStringLiteral("replaced"));
        QCOMPARE(reader.dataFrom(mark), QByteArray("{\"b\":2}\n{\"b\":3}\n"));

        // Removed: the script says so and keeps waiting.
        mark = reader.frames.size();
        QVERIFY(QFile::remove(path));
        QVERIFY(reader.readUntil([&](const QList<FollowFrame> &f) { return hasKind(f, FollowFrame::Kind::Missing, mark); }));
        process.kill();
        process.waitForFinished();
    }

    void followScriptResumesAtAnOffsetOfTheSameFileOnly()
    {
        QTemporaryDir dir;
        const QString path = dir.path() + QStringLiteral("/m");
        QVERIFY(writeFile(path, "line one\nline two\n"));
        QProcess first;
        startScript(first, RemoteFileFollower::command(path, 0, {}, 50));
        FollowReader firstReader(first);
        QVERIFY(firstReader.readUntil([](const QList<FollowFrame> &f) { return hasKind(f, FollowFrame::Kind::EndOfFile); }));
        const QByteArray inode = firstReader.frames.last().inode;
        QVERIFY(!inode.isEmpty());
        first.kill();
        first.waitForFinished();

        QVERIFY(writeFile(path, "line three\n", QIODevice::Append));
        QProcess resumed;
        startScript(resumed, RemoteFileFollower::command(path, 9, inode, 50));
        FollowReader resumedReader(resumed);
        QVERIFY(resumedReader.readUntil([](const QList<FollowFrame> &f) { return hasKind(f, FollowFrame::Kind::EndOfFile); }));
        QCOMPARE(resumedReader.frames.first().offset, 9);
        QCOMPARE(resumedReader.dataFrom(), QByteArray("line two\nline three\n"));
        resumed.kill();
        resumed.waitForFinished();

        // Another file under the name: the old offset is meaningless, so from 0.
        QVERIFY(QFile::remove(path) && writeFile(path + QStringLiteral(".x"), "other\n") && QFile::rename(path + QStringLiteral(".x"), path));
        QProcess replaced;
        startScript(replaced, RemoteFileFollower::command(path, 9, inode, 50));
        FollowReader replacedReader(replaced);
        QVERIFY(replacedReader.readUntil([](const QList<FollowFrame> &f) { return hasKind(f, FollowFrame::Kind::EndOfFile); }));
        QVERIFY(hasKind(replacedReader.frames, FollowFrame::Kind::Reset));
        QCOMPARE(replacedReader.dataFrom(), QByteArray("other\n"));
        replaced.kill();
        replaced.waitForFinished();
    }

    void runListScanAndStates()
    {
        QTemporaryDir dir;
        const QString root = QDir(dir.path()).canonicalPath();
        auto run = [&](const QString &name, const QByteArray &metrics) {
            QDir().mkpath(root + QStringLiteral("/runs/") + name + QStringLiteral("/.rdt"));
            writeFile(root + QStringLiteral("/runs/") + name + QStringLiteral("/metrics.jsonl"), metrics);
            return root + QStringLiteral("/runs/") + name;
        };
        const QByteArray start = "{\"event\":\"start\",\"step\":0,\"config\":{\"train\":{\"max_train_steps\":100}},\"time\":1700000000}\n";
        run(QStringLiteral("done"), start + "{\"step\":1,\"loss\":0.5}\n{\"event\":\"done\",\"step\":1}\n");
        run(QStringLiteral("error"), start + "{\"step\":1,\"loss\":0.5}\n{\"event\":\"error\",\"message\":\"loss is NaN at step 2\"}\n");
        const QString stopped = run(QStringLiteral("stopped"), start + "{\"step\":1,\"loss\":0.5}\n");
        writeFile(stopped + QStringLiteral("/.rdt/stop-requested"), "1\n");
        writeFile(stopped + QStringLiteral("/.rdt/exit-status"), "130\n");
        // The tmux server that ran it keeps its client's command line, folder included.
        QProcess tmuxServer;
        tmuxServer.start(QStringLiteral("bash"), {QStringLiteral("-c"), QStringLiteral("exec -a tmux sh -c 'sleep 30' sh \"$0\""), stopped});
        QVERIFY(tmuxServer.waitForStarted());
        const QString killed = run(QStringLiteral("killed"), start + "{\"step\":7,\"loss\":0.25}\n{\"step\":8,\"lo");
        writeFile(killed + QStringLiteral("/.rdt/exit-status"), "137\n");
        writeFile(killed + QStringLiteral("/.rdt/trainer.pid"), "999999999\n");   // long gone
        // Running: a live process with the run folder as an argument, found by its pid file.
        const QString running = run(QStringLiteral("running"), start + "{\"step\":3,\"loss\":0.125}\n");
        QProcess trainer;
        trainer.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("sleep 30"), QStringLiteral("sh"), running});
        QVERIFY(trainer.waitForStarted());
        writeFile(running + QStringLiteral("/.rdt/trainer.pid"), QByteArray::number(trainer.processId()) + '\n');
        // Started by hand: no pid file, found by its --output_dir argument.
        const QString byHand = run(QStringLiteral("by-hand"), start);
        QDir(byHand).rmdir(QStringLiteral(".rdt"));
        QProcess handTrainer;
        handTrainer.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("sleep 30"), QStringLiteral("sh"),
                                                 QStringLiteral("--output_dir=") + byHand});
        QVERIFY(handTrainer.waitForStarted());
        // Started by the setup wizard: its DIR/pid holds the pid of `sh DIR/launch.sh`.
        const QString wizard = run(QStringLiteral("wizard"), start);
        QProcess launchScript;
        launchScript.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("sleep 30"), QStringLiteral("sh"),
                                                  wizard + QStringLiteral("/launch.sh")});
        QVERIFY(launchScript.waitForStarted());
        writeFile(wizard + QStringLiteral("/pid"), QByteArray::number(launchScript.processId()) + '\n');
        QDir().mkpath(root + QStringLiteral("/runs/empty"));

        const QByteArray output = runScript(RunList::command(dir.path()));
        Result<QList<RunFacts>> facts = RunList::parseOutput(output, dir.path());
        QVERIFY2(facts.ok(), qPrintable(facts.error().message + QLatin1Char('\n') + QString::fromUtf8(output)));
        QMap<QString, RunInfo> runs;
        for (const RunFacts &f : facts.value())
            runs.insert(f.name, RunList::summarise(f));
        QCOMPARE(runs.size(), 8);
        QCOMPARE(runs[QStringLiteral("done")].state, RunState::Finished);
        QCOMPARE(runs[QStringLiteral("done")].maxSteps, 100);
        QCOMPARE(runs[QStringLiteral("done")].startTime, QDateTime::fromSecsSinceEpoch(1700000000));
        QCOMPARE(runs[QStringLiteral("error")].state, RunState::Failed);
        QCOMPARE(runs[QStringLiteral("error")].detail, QStringLiteral("loss is NaN at step 2"));
        QCOMPARE(runs[QStringLiteral("stopped")].state, RunState::Stopped);
        QCOMPARE(runs[QStringLiteral("killed")].state, RunState::Failed);
        QCOMPARE(runs[QStringLiteral("killed")].detail, QStringLiteral("killed by signal 9"));
        QCOMPARE(runs[QStringLiteral("killed")].step, 7);   // the torn step 8 is not read
        QCOMPARE(runs[QStringLiteral("killed")].lastLoss, 0.25);
        QCOMPARE(runs[QStringLiteral("running")].state, RunState::Running);
        QCOMPARE(runs[QStringLiteral("running")].pid, trainer.processId());
        QCOMPARE(runs[QStringLiteral("running")].folder, running);
        QCOMPARE(runs[QStringLiteral("by-hand")].state, RunState::Running);
        QCOMPARE(runs[QStringLiteral("by-hand")].pid, handTrainer.processId());
        QCOMPARE(runs[QStringLiteral("wizard")].state, RunState::Running);
        QCOMPARE(runs[QStringLiteral("wizard")].pid, launchScript.processId());
        QCOMPARE(runs[QStringLiteral("empty")].step, -1);
        launchScript.kill();
        launchScript.waitForFinished();
        tmuxServer.kill();
        tmuxServer.waitForFinished();
        trainer.kill();
        handTrainer.kill();
        trainer.waitForFinished();
        handTrainer.waitForFinished();

        const Result<QList<RunFacts>> missing = RunList::parseOutput(runScript(RunList::command(dir.path() + QStringLiteral("/nope"))),
                                                                     QStringLiteral("/x/nope"));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QLatin1String("/x/nope: no such folder")), qPrintable(missing.error().message));
        QVERIFY(!RunList::parseOutput("@rdt-runs 1\n@run a\n", QStringLiteral("r")).ok());   // cut off
    }
};

QTEST_GUILESS_MAIN(RunScriptsTest)
#include "unit_run_scripts.moc"
