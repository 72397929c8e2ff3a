// The deploy's pieces that need no server: the embedded source and its stamp, the build
// output reader on real Ninja, Makefile and CMake output, and the deploy scripts run here
// under dash on local folders as the server would run them — the inspection (LibTorch in
// a named folder or not), and the build script on tiny sources that fail to configure,
// fail to compile, or build an "rdt-trainer" that reports the wrong version.
#include "BuildOutputReader.h"
#include "DeployInspection.h"
#include "TrainerDeployScripts.h"
#include "TrainerSource.h"
#include "support_processes.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace rdt;

namespace {

QByteArray runScript(const QList<QByteArray> &argv, int *exitCode = nullptr)
{
    QStringList arguments;
    for (qsizetype i = 1; i < argv.size(); ++i)
        arguments.append(QString::fromUtf8(argv[i]));
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("dash"), arguments);
    process.waitForFinished(120000);
    if (exitCode)
        *exitCode = process.exitCode();
    return process.readAll();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

// A gzipped tar of `folder`'s contents, as the build packs training/.
QString packFolder(const QString &folder, const QString &archive)
{
    QProcess tar;
    tar.start(QStringLiteral("tar"), {QStringLiteral("-czf"), archive, QStringLiteral("-C"), folder, QStringLiteral(".")});
    tar.waitForFinished(30000);
    return tar.exitCode() == 0 ? archive : QString();
}

// The build script's "@..." lines, and the rest fed to a reader.
struct BuildRun {
    QByteArray output;
    QByteArray markers;
    BuildOutputReader reader;
};

BuildRun runBuild(const QString &root, const QString &archive, const QString &version)
{
    BuildRun run;
    run.reader.setSourceFolder(root + QStringLiteral("/.rdt/trainer/source"), QStringLiteral("training"));
    run.output = runScript(TrainerDeployScripts::build(
        root, archive, QStringLiteral("Unix Makefiles"), QStringLiteral("-UTorch_DIR"), version, "version 1.2.3\n", {}));
    for (const QByteArray &line : run.output.split('\n')) {
        if (line.startsWith('@') || line.startsWith('|'))
            run.markers += line + '\n';
        else
            run.reader.feed(line + '\n');
    }
    return run;
}


} // namespace

class TrainerDeployTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The build packs training/ with the version its CMakeLists.txt declares.
    void embeddedSourceCarriesTheTrainersVersion()
    {
        Result<TrainerSource> source = TrainerSource::embedded();
        QVERIFY2(source.ok(), qPrintable(source.error().message));
        QFile cmakeLists(QStringLiteral(RDT_SOURCE_DIR "/training/CMakeLists.txt"));
        QVERIFY(cmakeLists.open(QIODevice::ReadOnly));
        QVERIFY(cmakeLists.readAll().contains("project(RdtTrainer VERSION " + source->stamp().version.toUtf8() + " "));
        QCOMPARE(source->stamp().sha256.size(), 64);
        QVERIFY(source->stamp().files > 50);
        QVERIFY(!source->stamp().minimumCmake.isEmpty());
        QVERIFY(source->archive().startsWith("\x1f\x8b"));   // gzip

        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("a.tar.gz")), source->archive()));
        QProcess tar;
        tar.start(QStringLiteral("tar"), {QStringLiteral("-tzf"), dir.filePath(QStringLiteral("a.tar.gz"))});
        QVERIFY(tar.waitForFinished(30000));
        const QStringList names = QString::fromUtf8(tar.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(names.contains(QStringLiteral("CMakeLists.txt")));
        QVERIFY(names.contains(QStringLiteral("cli/main.cpp")));
        QVERIFY(names.contains(QStringLiteral("RDT_TRAINER_SOURCE")));
        QCOMPARE(names.size(), source->stamp().files + 1);
        for (const QString &name : names)
            QVERIFY2(!name.contains(QLatin1String("CMakeFiles")) && !name.endsWith(QLatin1String(".o")), qPrintable(name));

        Result<TrainerSourceStamp> again = TrainerSourceStamp::parse(source->stamp().text());
        QVERIFY(again.ok());
        QCOMPARE(again->sha256, source->stamp().sha256);
        QVERIFY(!TrainerSourceStamp::parse("sha256 abc\n").ok());
    }

    void readerFollowsNinjaAndMakeProgress()
    {
        BuildOutputReader ninja;
        QVERIFY(ninja.feed("[1/55] Building CXX object CMakeFiles/rdt_training.dir/cmake_pch.hxx.gch\n[12/5"));
        QCOMPARE(ninja.stepsDone(), 1);
        QVERIFY(ninja.feed("5] Building CXX object CMakeFiles/rdt_training.dir/model/Rdt.cpp.o\n"));
        QCOMPARE(ninja.stepsDone(), 12);
        QCOMPARE(ninja.stepsTotal(), 55);
        QCOMPARE(ninja.lastStep(), QStringLiteral("Building CXX object CMakeFiles/rdt_training.dir/model/Rdt.cpp.o"));

        BuildOutputReader make;
        QVERIFY(make.feed("[  3%] Building CXX object CMakeFiles/rdt_training.dir/cli/CommandLine.cpp.o\r\n"));
        QVERIFY(!make.feed("make[2]: Entering directory '/x'\n"));
        QVERIFY(make.feed("[ 15%] Linking CXX executable rdt-trainer\n"));
        QCOMPARE(make.stepsDone(), 15);
        QCOMPARE(make.stepsTotal(), 100);
    }

    // The first error is the cause; the notes and the FAILED line after it are not.
    void readerKeepsTheFirstErrorWithShortPaths()
    {
        BuildOutputReader reader;
        reader.setSourceFolder(QStringLiteral("/srv/root/.rdt/trainer/source"), QStringLiteral("training"));
        reader.feed("[3/55] Building CXX object CMakeFiles/rdt_training.dir/model/Rdt.cpp.o\n"
                    "FAILED: CMakeFiles/rdt_training.dir/model/Rdt.cpp.o\n"
                    "/srv/root/.rdt/trainer/source/model/Rdt.cpp: In function 'void f()':\n"
                    "/srv/root/.rdt/trainer/source/model/Rdt.cpp:12:3: error: 'foo' was not declared in this scope\n"
                    "/srv/root/.rdt/trainer/source/model/Rdt.cpp:14:3: error: 'bar' was not declared in this scope\n"
                    "ninja: build stopped: subcommand failed.");
        reader.finish();
        QCOMPARE(reader.firstError(), QStringLiteral("training/model/Rdt.cpp:12:3: error: 'foo' was not declared in this scope"));
        QCOMPARE(reader.fallbackError(), QStringLiteral("FAILED: CMakeFiles/rdt_training.dir/model/Rdt.cpp.o"));

        BuildOutputReader linker;
        linker.feed("/usr/bin/ld: Trainer.cpp.o: in function `run()':\n"
                    "Trainer.cpp:(.text+0x1f): undefined reference to `rdt::missing()'\n"
                    "collect2: error: ld returned 1 exit status\n");
        QCOMPARE(linker.firstError(), QStringLiteral("Trainer.cpp:(.text+0x1f): undefined reference to `rdt::missing()'"));
    }

    void readerCondensesCMakesError()
    {
        BuildOutputReader reader;
        reader.feed("-- The CXX compiler identification is GNU 12.2.0\n"
                    "CMake Error at CMakeLists.txt:18 (find_package):\n"
                    "  By not providing \"FindTorch.cmake\" in CMAKE_MODULE_PATH this project has\n"
                    "  asked CMake to find a package configuration file provided by \"Torch\", but\n"
                    "  CMake did not find one.\n"
                    "\n"
                    "  Could not find a package configuration file provided by \"Torch\" with any\n"
                    "\n"
                    "-- Configuring incomplete, errors occurred!\n");
        QCOMPARE(reader.cmakeError(),
                 QStringLiteral("CMake Error at CMakeLists.txt:18 (find_package): By not providing \"FindTorch.cmake\" in "
                                "CMAKE_MODULE_PATH this project has asked CMake to find a package configuration file "
                                "provided by \"Torch\", but CMake did not find one."));
    }

    void versionsCompareByNumber()
    {
        QVERIFY(versionAtLeast(QStringLiteral("3.25.1"), QStringLiteral("3.25")));
        QVERIFY(versionAtLeast(QStringLiteral("3.100"), QStringLiteral("3.25")));
        QVERIFY(!versionAtLeast(QStringLiteral("3.18.4"), QStringLiteral("3.25")));
        QVERIFY(!versionAtLeast(QString(), QStringLiteral("3.25")));
    }

    // A named LibTorch folder is taken when it holds TorchConfig.cmake, refused with the
    // places looked at when not; an installed trainer's version and digest are reported.
    void inspectionFindsTheTrainerAndANamedLibtorch()
    {
        QTemporaryDir dir;
        const QString root = QDir(dir.path()).canonicalPath() + QStringLiteral("/root");
        QVERIFY(writeFile(root + QStringLiteral("/bin/rdt-trainer"),
                          "#!/bin/sh\necho '{\"version\":\"0.0.7\",\"libtorch\":\"2.3.0\"}'\n"));
        QVERIFY(QFile::setPermissions(root + QStringLiteral("/bin/rdt-trainer"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QVERIFY(writeFile(root + QStringLiteral("/bin/rdt-trainer.source"), "version 0.0.7\nsha256 abcd\n"));
        const QString libtorch = dir.filePath(QStringLiteral("libtorch"));
        QVERIFY(writeFile(libtorch + QStringLiteral("/share/cmake/Torch/TorchConfig.cmake"), ""));

        Result<DeployInspection> found = DeployInspection::parse(runScript(TrainerDeployScripts::inspect(root, libtorch)));
        QVERIFY2(found.ok(), qPrintable(found.error().message));
        QCOMPARE(found->root, root);
        QCOMPARE(found->trainerPath, root + QStringLiteral("/bin/rdt-trainer"));
        QCOMPARE(found->trainerInfoStatus, 0);
        QCOMPARE(found->trainerVersion, QStringLiteral("0.0.7"));
        QCOMPARE(found->trainerLibtorch, QStringLiteral("2.3.0"));
        QCOMPARE(found->installedSha256, QStringLiteral("abcd"));
        QCOMPARE(found->libtorchSource, QStringLiteral("named"));
        QCOMPARE(found->libtorchCMakeArgument(), QStringLiteral("-DTorch_DIR=") + libtorch + QStringLiteral("/share/cmake/Torch"));
        QVERIFY(!found->cmakePath.isEmpty());
        QVERIFY(versionAtLeast(found->cmakeVersion, QStringLiteral("3.0")));

        const QString absent = dir.filePath(QStringLiteral("absent"));
        Result<DeployInspection> missing = DeployInspection::parse(runScript(TrainerDeployScripts::inspect(root, absent)));
        QVERIFY(missing.ok());
        QVERIFY(missing->libtorchSource.isEmpty());
        QVERIFY2(missing->looked.contains(absent + QStringLiteral("/share/cmake/Torch/TorchConfig.cmake")),
                 qPrintable(missing->looked.join(QLatin1Char(','))));

        QVERIFY(!DeployInspection::parse("@rdt-deploy-inspect 1\n@root /x\n").ok());   // cut off before @end
        QVERIFY(!DeployInspection::parse("sh: 1: syntax error\n").ok());
    }

    // Tiny sources through the real build script with CMake and make: each failure ends
    // in its marker with the cause in the output, and nothing is installed.
    void buildScriptReportsEachFailure()
    {
        QTemporaryDir dir;
        const QString root = QDir(dir.path()).canonicalPath() + QStringLiteral("/root");
        const QString source = dir.filePath(QStringLiteral("src"));
        const QString archive = dir.filePath(QStringLiteral("source.tar.gz"));

        QVERIFY(writeFile(source + QStringLiteral("/CMakeLists.txt"),
                          "cmake_minimum_required(VERSION 3.16)\nproject(T LANGUAGES CXX)\nfind_package(NoSuchPackageRdt REQUIRED)\n"));
        QVERIFY(!packFolder(source, archive).isEmpty());
        BuildRun configure = runBuild(root, archive, QStringLiteral("1.2.3"));
        QVERIFY2(configure.markers.contains("@configure-failed "), configure.markers.constData());
        QVERIFY2(configure.reader.cmakeError().contains(QLatin1String("NoSuchPackageRdt")), qPrintable(configure.reader.cmakeError()));

        QVERIFY(writeFile(source + QStringLiteral("/CMakeLists.txt"),
                          "cmake_minimum_required(VERSION 3.16)\nproject(T LANGUAGES CXX)\nadd_executable(rdt-trainer main.cpp)\n"));
        QVERIFY(writeFile(source + QStringLiteral("/main.cpp"), "int main()\n{\n    return undeclared_thing;\n}\n"));
        QVERIFY(!packFolder(source, archive).isEmpty());
        BuildRun compile = runBuild(root, archive, QStringLiteral("1.2.3"));
        QVERIFY2(compile.markers.contains("@build-failed "), compile.markers.constData());
        QVERIFY2(compile.reader.firstError().startsWith(QLatin1String("training/main.cpp:3:")), qPrintable(compile.reader.firstError()));
        QVERIFY(compile.reader.firstError().contains(QLatin1String("undeclared_thing")));

        QVERIFY(writeFile(source + QStringLiteral("/main.cpp"),
                          "#include <cstdio>\nint main() { std::puts(\"{\\\"version\\\":\\\"9.9.9\\\"}\"); }\n"));
        QVERIFY(!packFolder(source, archive).isEmpty());
        BuildRun wrong = runBuild(root, archive, QStringLiteral("1.2.3"));
        QVERIFY2(wrong.markers.contains("@wrong-version {\"version\":\"9.9.9\"}"), wrong.markers.constData());
        QVERIFY(!QFile::exists(root + QStringLiteral("/bin/rdt-trainer")));
        QVERIFY(!QFile::exists(root + QStringLiteral("/bin/.rdt-trainer.new")));

        // The right version is installed with its stamp; unchanged files keep their times,
        // so the second build has nothing to compile.
        BuildRun right = runBuild(root, archive, QStringLiteral("9.9.9"));
        QVERIFY2(right.markers.contains("@installed " + root.toUtf8() + "/bin/rdt-trainer"), right.markers.constData());
        QVERIFY(QFileInfo(root + QStringLiteral("/bin/rdt-trainer")).isExecutable());
        QFile stamp(root + QStringLiteral("/bin/rdt-trainer.source"));
        QVERIFY(stamp.open(QIODevice::ReadOnly));
        QCOMPARE(stamp.readAll(), QByteArray("version 1.2.3\n"));
        QCOMPARE(right.reader.stepsDone(), 100);
        QVERIFY2(!right.output.contains("Building CXX object"), right.output.constData());
    }

    // The TERM a cancel sends to the script ends the build under Ninja (which runs each
    // command in a process group of its own) and removes the pid file.
    void aTerminatedBuildScriptEndsTheBuild()
    {
        QTemporaryDir dir;
        const QString root = QDir(dir.path()).canonicalPath() + QStringLiteral("/root");
        const QString source = dir.filePath(QStringLiteral("src"));
        const QString archive = dir.filePath(QStringLiteral("source.tar.gz"));
        const QByteArray seconds = QByteArray::number(3000 + QCoreApplication::applicationPid() % 500);
        QVERIFY(writeFile(source + QStringLiteral("/CMakeLists.txt"),
                          "cmake_minimum_required(VERSION 3.16)\nproject(T NONE)\n"
                          "add_custom_target(rdt-trainer COMMAND sleep " + seconds + ")\n"));
        QVERIFY(!packFolder(source, archive).isEmpty());
        const QList<QByteArray> argv = TrainerDeployScripts::build(root, archive, QStringLiteral("Ninja"),
                                                                   QStringLiteral("-UTorch_DIR"), QStringLiteral("1"), "", {});
        QStringList arguments;
        for (qsizetype i = 1; i < argv.size(); ++i)
            arguments.append(QString::fromUtf8(argv[i]));
        QProcess script;
        script.start(QStringLiteral("dash"), arguments);
        QTRY_VERIFY_WITH_TIMEOUT(processWithArgument(seconds), 60000);
        QVERIFY(QFile::exists(root + QStringLiteral("/.rdt/trainer/build.pid")));
        script.terminate();
        QVERIFY(script.waitForFinished(10000));
        QCOMPARE(script.exitCode(), 143);
        QTRY_VERIFY_WITH_TIMEOUT(!processWithArgument(seconds), 10000);
        QVERIFY(!QFile::exists(root + QStringLiteral("/.rdt/trainer/build.pid")));
    }
};

QTEST_GUILESS_MAIN(TrainerDeployTest)
#include "unit_trainer_deploy.moc"
