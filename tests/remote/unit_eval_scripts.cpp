// The eval scripts run here under dash on local folders, as the server would run them: the
// command line builder, the launch (placeholders filled, detached, pid and exit status
// recorded, a start event awaited, a death reported with the eval's own last line), the
// eval list's states (running, done, failed, stopped) and the stop of a running eval; and
// events.jsonl lines as the eval follower reads them.
#include "EvalCommandLine.h"
#include "EvalEvent.h"
#include "EvalFolder.h"
#include "EvalLauncher.h"
#include "EvalList.h"
#include "RunStopper.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace rdt;

namespace {

QByteArray runScript(const QList<QByteArray> &argv, int waitMs = 30000)
{
    QStringList arguments;
    for (qsizetype i = 1; i < argv.size(); ++i)
        arguments.append(QString::fromUtf8(argv[i]));
    QProcess process;
    process.start(QStringLiteral("dash"), arguments);
    process.waitForFinished(waitMs);
    return process.readAllStandardOutput();
}

bool waitForFile(const QString &path, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!QFileInfo::exists(path)) {
        if (timer.elapsed() > ms)
            return false;
        QTest::qWait(50);
    }
    return true;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A stand-in for the eval program, used only to drive the launch scripts: it writes the
// events a real eval writes, its arguments, and fails or lingers when asked.
constexpr char kFakeEval[] = R"SH(out=$1 mode=$2; shift 2
printf '%s\n' "$@" > "$out/args"
[ "$mode" = die ] && { echo 'loading...' >&2; echo 'rdt-trainer eval: data/demo_9 is not in /x.hdf5' >&2; exit 1; }
printf '{"event":"start","time":1,"kind":"eval","checkpoint":"checkpoint-10","weights":"ema","episodes":2,"exec_horizon":16}\n' >> "$out/events.jsonl"
printf '{"event":"episode","time":2,"index":0,"episode":"demo_3","task":"put it","steps":40,"mse":0.5,"l2err":0.7,"gripper_agreement":1}\n' >> "$out/events.jsonl"
if [ "$mode" = linger ]; then
  sleep 600 & echo $! > "$out/child"
  while :; do sleep 0.2; done
fi
printf '{"event":"done","time":3,"episodes":2}\n' >> "$out/events.jsonl"
)SH";

} // namespace

class EvalScriptsTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_root;

    EvalLaunchRequest request(const QString &mode) const
    {
        EvalLaunchRequest r;
        r.remoteRoot = m_root;
        r.runName = QStringLiteral("run1");
        r.options.checkpoint = QStringLiteral("checkpoint-10");
        r.commandLine = {QStringLiteral("sh"), QStringLiteral("-c"), QString::fromUtf8(kFakeEval), QStringLiteral("eval"),
                         QStringLiteral("{output_dir}"), mode, QStringLiteral("--checkpoint={checkpoint}"),
                         QStringLiteral("{video_dir}"), QStringLiteral("{run_dir}/a {checkpoint} b")};
        r.startTimeoutSeconds = 20;
        r.useTmux = false;
        return r;
    }

    QList<EvalInfo> list()
    {
        Result<QList<EvalInfo>> evals =
            EvalList::parseOutput(runScript(EvalList::command(m_root, QStringLiteral("run1"), {})), QStringLiteral("list"));
        if (!evals) {
            qWarning("%s", qPrintable(evals.error().message));
            return {};
        }
        return *evals;
    }

    QString evalFolder() const { return EvalFolder::folder(m_root, QStringLiteral("run1"), QStringLiteral("checkpoint-10")); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = QDir(m_dir.path()).canonicalPath();
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/runs/run1/checkpoint-10")));
    }

    void commandLineForTheTrainer()
    {
        EvalLaunchOptions options;
        options.checkpoint = QStringLiteral("checkpoint-10");
        options.episodes = QStringLiteral("demo_1,demo_2");
        options.execHorizon = 8;
        options.weights = QStringLiteral("raw");
        options.device = QStringLiteral("cpu");
        QCOMPARE(EvalCommandLine::forTrainer(options, QStringLiteral("/opt/rdt-trainer")),
                 QStringList({"/opt/rdt-trainer", "eval", "--checkpoint", "{checkpoint}", "--weights", "raw",
                              "--exec_horizon", "8", "--episodes", "demo_1,demo_2", "--device", "cpu", "--record_video",
                              "--video_output_dir", "{video_dir}", "--output_dir", "{output_dir}"}));
        options.recordVideo = false;
        options.episodes.clear();
        options.device.clear();
        QCOMPARE(EvalCommandLine::forTrainer(options),
                 QStringList({"rdt-trainer", "eval", "--checkpoint", "{checkpoint}", "--weights", "raw",
                              "--exec_horizon", "8", "--output_dir", "{output_dir}"}));
        QVERIFY(EvalCommandLine::check(EvalCommandLine::forTrainer(options)));

        const Result<void> elsewhere = EvalCommandLine::check({"rdt-trainer", "eval", "--output_dir", "/tmp/x"});
        QVERIFY(!elsewhere);
        QVERIFY2(elsewhere.error().message.contains(QLatin1String("{output_dir}")), qPrintable(elsewhere.error().message));
        QVERIFY(!EvalCommandLine::check({}));

        QVERIFY(EvalFolder::check(QStringLiteral("run1"), QStringLiteral("checkpoint-10")));
        QVERIFY(!EvalFolder::check(QStringLiteral("run1"), QStringLiteral("../checkpoint-10")));
        QVERIFY(!EvalFolder::check(QStringLiteral("run1"), QStringLiteral("checkpoint-x")));
        QVERIFY(!EvalFolder::check(QStringLiteral("../run1"), QStringLiteral("checkpoint-10")));
        QCOMPARE(EvalFolder::eventsPath(QStringLiteral("~/rdt/"), QStringLiteral("r"), QStringLiteral("checkpoint-5")),
                 QStringLiteral("~/rdt/runs/r/eval/checkpoint-5/events.jsonl"));
    }

    void eventLines()
    {
        const std::optional<EvalEvent> episode = EvalEvent::fromLine(
            R"({"event":"episode","time":2.5,"index":3,"episode":"demo_3","task":"open it","steps":40,"mse":0.25,"l2err":0.5,"gripper_agreement":0.75,"video":"videos/episode_003_open_it.mp4"})");
        QVERIFY(episode);
        QCOMPARE(episode->kind, EvalEvent::Kind::Episode);
        QCOMPARE(episode->index, 3);
        QCOMPARE(episode->episode, QStringLiteral("demo_3"));
        QCOMPARE(episode->steps, 40);
        QCOMPARE(episode->mse, 0.25);
        QCOMPARE(episode->gripperAgreement, 0.75);
        QCOMPARE(episode->video, QStringLiteral("videos/episode_003_open_it.mp4"));
        const std::optional<EvalEvent> error = EvalEvent::fromLine(R"({"event":"error","time":1,"message":"no GPU"})");
        QVERIFY(error && error->kind == EvalEvent::Kind::Error && error->message == QLatin1String("no GPU"));
        const std::optional<EvalEvent> start = EvalEvent::fromLine(R"({"event":"start","episodes":7,"checkpoint":"checkpoint-1"})");
        QVERIFY(start && start->kind == EvalEvent::Kind::Start && start->episodes == 7);
        QVERIFY(!EvalEvent::fromLine(R"({"event":"step"})"));
        QVERIFY(!EvalEvent::fromLine(R"({"event":"episode")"));
        QVERIFY(!EvalEvent::fromLine("[1,2]"));
    }

    // Placeholders are filled where they stand, the eval runs detached to its end, and the
    // list reads it as done with its episodes.
    void launchFillsThePlaceholdersAndTheListSaysDone()
    {
        const QByteArray out = runScript(EvalLauncher::command(request(QStringLiteral("ok"))));
        QVERIFY2(out.contains("@started setsid "), out.constData());
        QVERIFY2(out.trimmed().endsWith(evalFolder().toUtf8()), out.constData());
        QVERIFY(waitForFile(evalFolder() + QStringLiteral("/.rdt/exit-status"), 10000));
        QCOMPARE(readAll(evalFolder() + QStringLiteral("/.rdt/exit-status")).trimmed(), QByteArray("0"));
        const QString d = m_root + QStringLiteral("/runs/run1");
        QCOMPARE(QString::fromUtf8(readAll(evalFolder() + QStringLiteral("/args"))).split(QLatin1Char('\n'), Qt::SkipEmptyParts),
                 QStringList({QStringLiteral("--checkpoint=") + d + QStringLiteral("/checkpoint-10"),
                              evalFolder() + QStringLiteral("/videos"),
                              d + QStringLiteral("/a ") + d + QStringLiteral("/checkpoint-10 b")}));
        QVERIFY(readAll(evalFolder() + QStringLiteral("/.rdt/command")).startsWith(QByteArray("/")));   // resolved program
        const QList<EvalInfo> evals = list();
        QCOMPARE(evals.size(), 1);
        QCOMPARE(evals[0].checkpoint, QStringLiteral("checkpoint-10"));
        QCOMPARE(evals[0].state, EvalState::Done);
        QCOMPARE(evals[0].episodesDone, 1);
        QCOMPARE(evals[0].episodesTotal, 2);
        QCOMPARE(evals[0].folder, evalFolder());
    }

    // An eval that dies before its start event: the launch says so with the eval's own last
    // line, and the list calls it failed with the same line.
    void aDeathBeforeTheStartComesBackWithItsLastLine()
    {
        const QByteArray out = runScript(EvalLauncher::command(request(QStringLiteral("die"))));
        QVERIFY2(out.contains("@died 1\n"), out.constData());
        QVERIFY2(out.contains("|rdt-trainer eval: data/demo_9 is not in /x.hdf5"), out.constData());
        const QList<EvalInfo> evals = list();
        QCOMPARE(evals.size(), 1);
        QCOMPARE(evals[0].state, EvalState::Failed);
        QCOMPARE(evals[0].detail, QStringLiteral("exit status 1: rdt-trainer eval: data/demo_9 is not in /x.hdf5"));
    }

    // Running, then stopped by the run stopper's script in the eval's folder.
    void aRunningEvalIsListedAndStopped()
    {
        const QByteArray out = runScript(EvalLauncher::command(request(QStringLiteral("linger"))));
        QVERIFY2(out.contains("@started setsid "), out.constData());
        const qint64 pid = out.trimmed().split('\n').last().split(' ').value(2).toLongLong();
        QVERIFY(pid > 0);
        QList<EvalInfo> evals = list();
        QCOMPARE(evals.size(), 1);
        QCOMPARE(evals[0].state, EvalState::Running);
        QCOMPARE(evals[0].pid, pid);
        QCOMPARE(evals[0].episodesDone, 1);

        const QByteArray again = runScript(EvalLauncher::command(request(QStringLiteral("ok"))));
        QVERIFY2(again.contains("@fail an eval of checkpoint-10 is already running"), again.constData());

        const QByteArray stopped = runScript(
            RunStopper::command(m_root, EvalFolder::relativeToRuns(QStringLiteral("run1"), QStringLiteral("checkpoint-10")), 5, true));
        QVERIFY2(stopped.contains("@signal INT " + QByteArray::number(pid)), stopped.constData());
        QVERIFY2(stopped.contains("@stopped 130"), stopped.constData());   // SIGINT reached it
        QVERIFY2(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)), "the eval process must be gone");
        // Its whole process group went with it: a script's children do not linger.
        const QByteArray child = readAll(evalFolder() + QStringLiteral("/child")).trimmed();
        QVERIFY(!child.isEmpty());
        QTRY_VERIFY2(!QFileInfo::exists(QStringLiteral("/proc/") + QString::fromUtf8(child)), "the eval's child must be gone");
        evals = list();
        QCOMPARE(evals[0].state, EvalState::Stopped);
    }

    // A preset's shell line runs as written (its braces are its own), and the process
    // names the eval folder so the list and stop find it.
    void aShellLineRunsAsWritten()
    {
        EvalLaunchRequest r = request(QStringLiteral("ok"));
        r.commandLine.clear();
        r.shellLine = "cd \"$1\" && printf '%s\\n' '{checkpoint}' \"$1\" > args; "
                      "printf '{\"event\":\"start\",\"episodes\":0}\\n{\"event\":\"done\",\"episodes\":0}\\n' > events.jsonl";
        const QByteArray out = runScript(EvalLauncher::command(r));
        QVERIFY2(out.contains("@started setsid "), out.constData());
        QVERIFY(waitForFile(evalFolder() + QStringLiteral("/.rdt/exit-status"), 10000));
        QCOMPARE(readAll(evalFolder() + QStringLiteral("/args")), QByteArray("{checkpoint}\n") + evalFolder().toUtf8() + '\n');
        QCOMPARE(list().value(0).state, EvalState::Done);
    }

    // A preset's record lands in the eval folder as given (quotes and all), and a
    // later eval without one leaves none behind to mislead the download's reader.
    void aPresetsRecordIsLeftInTheFolder()
    {
        EvalLaunchRequest r = request(QStringLiteral("ok"));
        r.commandLine.clear();
        r.shellLine = "printf '{\"event\":\"start\",\"episodes\":0}\\n{\"event\":\"done\",\"episodes\":0}\\n' > \"$1/events.jsonl\"";
        r.record = "{\"preset\":\"it's \\\"mine\\\" $(x) `y`\",\"results\":\"libero-json\",\"results_file\":\"r.json\"}";
        QByteArray out = runScript(EvalLauncher::command(r));
        QVERIFY2(out.contains("@started setsid "), out.constData());
        QCOMPARE(readAll(evalFolder() + QStringLiteral("/eval-command.json")), r.record + '\n');
        QVERIFY(waitForFile(evalFolder() + QStringLiteral("/.rdt/exit-status"), 10000));
        r.record.clear();
        out = runScript(EvalLauncher::command(r));
        QVERIFY2(out.contains("@started setsid "), out.constData());
        QVERIFY(!QFileInfo::exists(evalFolder() + QStringLiteral("/eval-command.json")));
    }

    // A server script that dies of a known cause: the list says the cause and the remedy.
    void aKnownDeathIsExplained()
    {
        EvalLaunchRequest r = request(QStringLiteral("ok"));
        r.commandLine.clear();
        r.shellLine = "echo 'Traceback (most recent call last):' >&2; "
                      "echo \"ModuleNotFoundError: No module named 'libero'\" >&2; exit 1";
        r.waitForStartEvent = false;
        const QByteArray out = runScript(EvalLauncher::command(r));
        QVERIFY2(out.contains("@died 1\n"), out.constData());
        const QList<EvalInfo> evals = list();
        QCOMPARE(evals.value(0).state, EvalState::Failed);
        QVERIFY2(evals.value(0).detail.startsWith(QLatin1String("exit status 1: ModuleNotFoundError: No module named 'libero' (")),
                 qPrintable(evals.value(0).detail));
        QVERIFY2(evals.value(0).detail.contains(QLatin1String("pip install -e LIBERO")), qPrintable(evals.value(0).detail));
    }

    void listOfARunWithoutEvalsOrOfNoRun()
    {
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/runs/run2")));
        Result<QList<EvalInfo>> none = EvalList::parseOutput(runScript(EvalList::command(m_root, QStringLiteral("run2"), {})),
                                                             QStringLiteral("list"));
        QVERIFY(none);
        QVERIFY(none->isEmpty());
        Result<QList<EvalInfo>> missing = EvalList::parseOutput(
            runScript(EvalList::command(m_root, QStringLiteral("absent"), {})), QStringLiteral("listing the evals of run absent"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().message, QStringLiteral("listing the evals of run absent: no such run"));
        QVERIFY(!EvalList::parseOutput("@rdt-evals 1\n@root /x\n@eval checkpoint-1 0\n", QStringLiteral("list")));
    }
};

QTEST_GUILESS_MAIN(EvalScriptsTest)
#include "unit_eval_scripts.moc"
