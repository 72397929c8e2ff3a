// The stop script and the run list under dash on a local run folder, as the server runs
// them: a trainer recorded by its launcher (pid, start time, session) is found and stopped,
// and a process that merely names the run folder in its arguments (a user's tail, editor
// or copy, in a session of its own) is never taken for it, before or after the trainer ends.
#include "RunFolderLayout.h"
#include "RunList.h"
#include "RunStopper.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace rdt;

namespace {

QByteArray runScript(const QList<QByteArray> &argv)
{
    QStringList arguments;
    for (qsizetype i = 1; i < argv.size(); ++i)
        arguments.append(QString::fromUtf8(argv[i]));
    QProcess process;
    process.start(QStringLiteral("dash"), arguments);
    process.waitForFinished(60000);
    return process.readAllStandardOutput();
}

bool waitForFile(const QString &path)
{
    QElapsedTimer timer;
    timer.start();
    while (!QFile::exists(path)) {
        if (timer.elapsed() > 10000)
            return false;
        QThread::msleep(50);
    }
    return true;
}

} // namespace

class RunStopTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stopSignalsTheRecordedTrainerOnly()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString run = dir.path() + QStringLiteral("/runs/demo");
        QVERIFY(QDir().mkpath(run + QStringLiteral("/.rdt")));

        // The trainer as the launchers start it: the recorder, then exec. Its arguments do
        // not name the folder (a launcher's worker, a renamed process).
        QProcess trainer;
        trainer.start(QStringLiteral("dash"),
                      {QStringLiteral("-c"),
                       QString::fromUtf8(RunFolderLayout::trainerRecorder()) + QStringLiteral("record_trainer \"$1\" && exec sleep 60"),
                       QStringLiteral("rdt-trainer-exec"), run});
        QVERIFY(trainer.waitForStarted());
        QVERIFY2(waitForFile(run + QStringLiteral("/.rdt/trainer.pid")), "the recorder wrote no trainer.pid in 10 s");
        QVERIFY(QFile::exists(run + QStringLiteral("/.rdt/trainer.id")));

        // Someone else's process with the run folder as a whole argument, in its own session.
        QProcess bystander;
        bystander.start(QStringLiteral("setsid"), {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("sleep 60"),
                                                   QStringLiteral("sh"), run + QLatin1Char('/')});
        QVERIFY(bystander.waitForStarted());

        Result<QList<RunFacts>> listed = RunList::parseOutput(runScript(RunList::command(dir.path())), dir.path());
        QVERIFY2(listed.ok(), qPrintable(listed.error().message));
        QCOMPARE(listed->size(), 1);
        QCOMPARE(listed->first().livePid, trainer.processId());

        const QByteArray stopped = runScript(RunStopper::command(dir.path(), QStringLiteral("demo"), 5));
        QVERIFY2(stopped.contains("@signal INT " + QByteArray::number(trainer.processId()) + '\n'), stopped.constData());
        QVERIFY2(!stopped.contains(QByteArray::number(bystander.processId())), stopped.constData());
        QVERIFY2(trainer.waitForFinished(10000), "the trainer outlived the stop");
        QCOMPARE(bystander.state(), QProcess::Running);

        // The trainer is gone, its record stays: the bystander is still not the run.
        listed = RunList::parseOutput(runScript(RunList::command(dir.path())), dir.path());
        QVERIFY2(listed.ok(), qPrintable(listed.error().message));
        QCOMPARE(listed->first().livePid, 0);
        const QByteArray again = runScript(RunStopper::command(dir.path(), QStringLiteral("demo"), 1));
        QVERIFY2(again.contains("@not-running\n"), again.constData());
        QCOMPARE(bystander.state(), QProcess::Running);

        // A pid file naming a live process that is not the recorded one (a reused pid).
        QFile pidFile(run + QStringLiteral("/.rdt/trainer.pid"));
        QVERIFY(pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
        pidFile.write(QByteArray::number(bystander.processId()) + '\n');
        pidFile.close();
        const QByteArray reused = runScript(RunStopper::command(dir.path(), QStringLiteral("demo"), 1));
        QVERIFY2(reused.contains("@not-running\n"), reused.constData());
        QCOMPARE(bystander.state(), QProcess::Running);

        bystander.kill();
        bystander.waitForFinished();
    }
};

QTEST_GUILESS_MAIN(RunStopTest)
#include "unit_run_stop.moc"
