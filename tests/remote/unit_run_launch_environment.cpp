// RunLauncher's launch script run here under dash on a local folder, as the server would
// run it, with a stand-in trainer that records what it was given: the run's environment
// reaches the trainer, is kept in .rdt/trainer-env for a resume, and reaches it again then.
#include "RunLauncher.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace rdt;

namespace {

// A trainer that writes its environment and arguments into the run folder (the value
// after --output_dir) and then the start event the launcher waits for.
constexpr char kStandIn[] = R"(#!/bin/sh
for a in "$@"; do [ "$prev" = --output_dir ] && d=$a; prev=$a; done
env > "$d/env.txt"
printf '%s\n' "$@" > "$d/args.txt"
printf '{"event":"start","step":0}\n' >> "$d/metrics.jsonl"
)";

QByteArray runLaunch(const LaunchRequest &request, bool resume)
{
    const QList<QByteArray> argv = RunLauncher::command(request, resume);
    QStringList arguments;
    for (qsizetype i = 1; i < argv.size(); ++i)
        arguments.append(QString::fromUtf8(argv[i]));
    QProcess process;
    process.start(QStringLiteral("dash"), arguments);
    process.waitForFinished(60000);
    return process.readAllStandardOutput();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class RunLaunchEnvironmentTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void environmentReachesTheTrainerAndItsResume()
    {
        QTemporaryDir dir;
        const QString root = QDir(dir.path()).canonicalPath();
        const QString trainer = root + QStringLiteral("/stand-in-trainer");
        QFile file(trainer);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(kStandIn) > 0);
        file.close();
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

        LaunchRequest request;
        request.remoteRoot = root;
        request.runName = QStringLiteral("with-env");
        request.trainer = trainer;
        request.useTmux = false;
        request.startTimeoutSeconds = 20;
        request.trainerArguments = {QStringLiteral("--max_train_steps"), QStringLiteral("5")};
        request.environment = {{"RDT_TEST_MARK", "a value with spaces and 'quotes'"}, {"CUDA_VISIBLE_DEVICES", "0,1"}};
        const QByteArray started = runLaunch(request, false);
        QVERIFY2(started.contains("@started setsid "), started.constData());
        const QString folder = root + QStringLiteral("/runs/with-env");
        QVERIFY(readFile(folder + QStringLiteral("/env.txt")).contains("RDT_TEST_MARK=a value with spaces and 'quotes'\n"));
        QVERIFY(readFile(folder + QStringLiteral("/env.txt")).contains("CUDA_VISIBLE_DEVICES=0,1\n"));
        QCOMPARE(readFile(folder + QStringLiteral("/.rdt/trainer-env")),
                 QByteArray("RDT_TEST_MARK=a value with spaces and 'quotes'\nCUDA_VISIBLE_DEVICES=0,1\n"));
        QCOMPARE(readFile(folder + QStringLiteral("/.rdt/trainer-args")), QByteArray("--max_train_steps\n5\n"));

        // A resume is given no environment: it runs with the recorded one.
        QVERIFY(QFile::remove(folder + QStringLiteral("/env.txt")));
        request.environment.clear();
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(folder + QStringLiteral("/.rdt/exit-status")), 10000);
        const QByteArray resumed = runLaunch(request, true);
        QVERIFY2(resumed.contains("@started setsid "), resumed.constData());
        QVERIFY(readFile(folder + QStringLiteral("/env.txt")).contains("RDT_TEST_MARK=a value with spaces and 'quotes'\n"));
        QVERIFY(readFile(folder + QStringLiteral("/args.txt")).contains("--resume_from_checkpoint\nlatest\n"));
    }

    // A data-parallel run starts the trainer's launcher with the train flags after `--`,
    // keeps the launcher's flags, and a resume launches as many workers again.
    void launcherArgumentsReachTheTrainerAndItsResume()
    {
        QTemporaryDir dir;
        const QString root = QDir(dir.path()).canonicalPath();
        const QString trainer = root + QStringLiteral("/stand-in-trainer");
        QFile file(trainer);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(kStandIn) > 0);
        file.close();
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        LaunchRequest request;
        request.remoteRoot = root;
        request.runName = QStringLiteral("two");
        request.trainer = trainer;
        request.useTmux = false;
        request.startTimeoutSeconds = 20;
        request.trainerArguments = {QStringLiteral("--max_train_steps"), QStringLiteral("5")};
        request.launcherArguments = {QStringLiteral("--nproc_per_node"), QStringLiteral("2"), QStringLiteral("--master_port"),
                                     QStringLiteral("0")};
        QVERIFY(runLaunch(request, false).contains("@started setsid "));
        const QString folder = root + QStringLiteral("/runs/two");
        const QByteArray launched = "launch\n--nproc_per_node\n2\n--master_port\n0\n--\ntrain\n--max_train_steps\n5\n--output_dir\n";
        QVERIFY2(readFile(folder + QStringLiteral("/args.txt")).startsWith(launched), readFile(folder + QStringLiteral("/args.txt")).constData());
        QCOMPARE(readFile(folder + QStringLiteral("/.rdt/launcher-args")), QByteArray("--nproc_per_node\n2\n--master_port\n0\n"));
        QCOMPARE(readFile(folder + QStringLiteral("/.rdt/trainer-args")), QByteArray("--max_train_steps\n5\n"));

        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(folder + QStringLiteral("/.rdt/exit-status")), 10000);
        request.launcherArguments.clear();   // a resume takes them from the run folder
        QVERIFY(runLaunch(request, true).contains("@started setsid "));
        QVERIFY2(readFile(folder + QStringLiteral("/args.txt")).startsWith(
                     "launch\n--nproc_per_node\n2\n--master_port\n0\n--\ntrain\n--max_train_steps\n5\n--resume_from_checkpoint\nlatest\n"),
                 readFile(folder + QStringLiteral("/args.txt")).constData());

        // A single-process run has no launcher: `train` directly.
        request.runName = QStringLiteral("one");
        QVERIFY(runLaunch(request, false).contains("@started setsid "));
        QVERIFY(readFile(root + QStringLiteral("/runs/one/args.txt")).startsWith("train\n--max_train_steps\n5\n"));
    }

    void environmentThatCannotBeRecordedIsRefused()
    {
        LaunchRequest request;
        request.remoteRoot = QStringLiteral("/nonexistent");
        request.runName = QStringLiteral("r");
        request.environment = {{"BAD", "two\nlines"}};
        RunLauncher launcher(nullptr);
        QSignalSpy done(&launcher, &RunLauncher::finished);
        launcher.start(request);
        QVERIFY(done.wait(5000));
        QCOMPARE(launcher.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(launcher.error().message.contains(QLatin1String("BAD contains a line break")), qPrintable(launcher.error().message));
    }
};

QTEST_GUILESS_MAIN(RunLaunchEnvironmentTest)
#include "unit_run_launch_environment.moc"
