// Deploying the trainer to the GPU host behind the jump host, for real: the GPU host shares
// this machine's file system and has Debian's LibTorch 1.13, CMake and Ninja, so the
// embedded source is built there once (with ccache through the deployer's environment
// and cmake arguments, so a warm cache makes it quick), installed as ROOT/bin/rdt-trainer
// and run. Then: a second deploy finds it up to date; a trainer of another version is
// rebuilt over (incrementally: nothing to compile). The failure paths fail fast: no cmake
// on the PATH, a LibTorch folder without LibTorch, a compile error (a tiny broken source),
// and a cancelled build leaves no build process behind.
#include "support_processes.h"
#include "support_rdtctl.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include "ServerCheck.h"
#include "TrainerDeployer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace rdt;

namespace {

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

// A tiny stand-in for the trainer's source: `files` (name -> contents) as a gzipped tar.
TrainerSource tinySource(const QString &folder, const QMap<QString, QByteArray> &files)
{
    for (auto it = files.begin(); it != files.end(); ++it)
        writeFile(folder + QLatin1Char('/') + it.key(), it.value());
    QProcess tar;
    tar.start(QStringLiteral("tar"), {QStringLiteral("-czf"), QStringLiteral("-"), QStringLiteral("-C"), folder, QStringLiteral(".")});
    tar.waitForFinished(30000);
    TrainerSourceStamp stamp;
    stamp.version = QStringLiteral("9.9.9");
    stamp.minimumCmake = QStringLiteral("3.16");
    stamp.sha256 = QStringLiteral("tiny");
    return TrainerSource::fromArchive(stamp, tar.readAllStandardOutput());
}

// The folder the local builds cache into, which CI keeps between runs; empty without ccache.
QString localCcacheDir()
{
    QProcess ccache;
    ccache.start(QStringLiteral("ccache"), {QStringLiteral("-k"), QStringLiteral("cache_dir")});
    if (!ccache.waitForFinished(10000) || ccache.exitCode() != 0)
        return {};
    return QString::fromUtf8(ccache.readAllStandardOutput()).trimmed();
}

} // namespace

class DeployTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_work;
    QTemporaryDir m_home;
    QString m_root;          // the real build's root; the same path on the GPU host
    QString m_ccacheDir;
    std::unique_ptr<SshClient> m_client;

    // ccache for the server's build: the local cache, with paths under the root made
    // relative (base_dir) so a fresh root hits, and the precompiled header allowed.
    EnvironmentList ccacheEnvironment(const QString &root) const
    {
        if (m_ccacheDir.isEmpty())
            return {};
        return {{"CCACHE_DIR", m_ccacheDir.toUtf8()},
                {"CCACHE_BASEDIR", root.toUtf8()},
                {"CCACHE_SLOPPINESS", "pch_defines,time_macros,include_file_mtime,include_file_ctime"}};
    }

    QStringList ccacheArguments() const
    {
        return m_ccacheDir.isEmpty() ? QStringList() : QStringList{QStringLiteral("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")};
    }

    // Runs a deploy to its end; every progress report is kept in *seen when given.
    bool deploy(TrainerDeployer &deployer, const DeployRequest &request, int waitMs,
                QList<DeployProgress> *seen = nullptr)
    {
        QSignalSpy done(&deployer, &TrainerDeployer::finished);
        QMetaObject::Connection keep;
        if (seen)
            keep = connect(&deployer, &TrainerDeployer::progress, this, [seen](const DeployProgress &p) { seen->append(p); });
        deployer.start(request);
        const bool finished = done.count() > 0 || done.wait(waitMs);
        disconnect(keep);
        return finished;
    }

    CliRun rdtctl(const QStringList &arguments, int waitMs)
    {
        return runRdtctl(QStringList{QStringLiteral("-F"), m_topo.sshConfigFile()} + arguments, m_home.path(), waitMs);
    }

    QString newRoot(const QString &name) const { return QDir(m_work.path()).canonicalPath() + QLatin1Char('/') + name; }

private Q_SLOTS:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_work.isValid() && m_home.isValid());
        m_root = newRoot(QStringLiteral("root with space"));
        m_ccacheDir = localCcacheDir();
        if (m_ccacheDir.isEmpty())
            qWarning("no ccache here: the real build runs cold");
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(c.error.message));
        m_client = std::move(c.client);
    }

    // A PATH without cmake (every other tool of /usr/bin linked into a folder): the deploy
    // says so before uploading anything.
    void withoutCmakeItSaysSoAtOnce()
    {
        const QString bin = newRoot(QStringLiteral("bin-without-cmake"));
        QVERIFY(QDir().mkpath(bin));
        for (const QFileInfo &tool : QDir(QStringLiteral("/usr/bin")).entryInfoList(QDir::Files | QDir::System)) {
            if (!tool.fileName().startsWith(QLatin1String("cmake")))
                QFile::link(tool.absoluteFilePath(), bin + QLatin1Char('/') + tool.fileName());
        }
        TrainerDeployer deployer(m_client.get());
        DeployRequest request;
        request.remoteRoot = newRoot(QStringLiteral("no-cmake"));
        request.environment = {{"PATH", bin.toUtf8()}};
        QElapsedTimer clock;
        clock.start();
        QVERIFY(deploy(deployer, request, 60000));
        QCOMPARE(deployer.error().code, ErrorCode::RemoteFailed);
        QVERIFY2(deployer.error().message.contains(QLatin1String("cmake is not installed on the server (not on PATH=") + bin),
                 qPrintable(deployer.error().message));
        QVERIFY(!deployer.error().message.contains(QLatin1Char('\n')));
        QVERIFY2(!QFileInfo::exists(request.remoteRoot + QStringLiteral("/.rdt")), "nothing is uploaded");
        qInfo("no cmake: failed in %lld ms: %s", clock.elapsed(), qPrintable(deployer.error().message));
    }

    void aNamedFolderWithoutLibtorchListsWhereItLooked()
    {
        const QString root = newRoot(QStringLiteral("bad-libtorch"));
        const CliRun run = rdtctl({QStringLiteral("deploy"), QStringLiteral("gpu"), QStringLiteral("--root"), root,
                                   QStringLiteral("--libtorch"), QStringLiteral("/opt/no-such-libtorch")}, 60000);
        QCOMPARE(run.exitCode, 1);
        const QString said = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(said.contains(QLatin1String("no LibTorch in /opt/no-such-libtorch: looked for "
                                             "/opt/no-such-libtorch/share/cmake/Torch/TorchConfig.cmake, "
                                             "/opt/no-such-libtorch/lib/cmake/Torch/TorchConfig.cmake")),
                 qPrintable(said));
        QCOMPARE(said.count(QLatin1Char('\n')), 1);   // the "inspecting" progress line, then the error
        QVERIFY(run.out.isEmpty());
    }

    // A tiny source that does not compile: the message is the compiler's first error line,
    // with the file named as in training/.
    void aCompileErrorIsTheFirstErrorLine()
    {
        TrainerDeployer deployer(m_client.get());
        deployer.setSource(tinySource(newRoot(QStringLiteral("broken-source")),
                                      {{QStringLiteral("CMakeLists.txt"),
                                        "cmake_minimum_required(VERSION 3.16)\nproject(T LANGUAGES CXX)\n"
                                        "add_executable(rdt-trainer main.cpp)\n"},
                                       {QStringLiteral("main.cpp"), "int main()\n{\n    return undeclared_thing;\n}\n"}}));
        DeployRequest request;
        request.remoteRoot = newRoot(QStringLiteral("broken"));
        QVERIFY(deploy(deployer, request, 120000));
        QCOMPARE(deployer.error().code, ErrorCode::RemoteFailed);
        QVERIFY2(deployer.error().message.contains(QLatin1String(": the build failed (exit status 1): training/main.cpp:3:")),
                 qPrintable(deployer.error().message));
        QVERIFY2(deployer.error().message.contains(QLatin1String("error: 'undeclared_thing' was not declared")),
                 qPrintable(deployer.error().message));
        QVERIFY(!QFileInfo::exists(request.remoteRoot + QStringLiteral("/bin/rdt-trainer")));
    }

    // CMake not finding Torch is said as "no LibTorch found" with the places looked at
    // (here a source that hides the LibTorch the deployer found from find_package).
    void torchNotFoundByCMakeListsWhereItLooked()
    {
        TrainerDeployer deployer(m_client.get());
        deployer.setSource(tinySource(newRoot(QStringLiteral("torchless-source")),
                                      {{QStringLiteral("CMakeLists.txt"),
                                        "cmake_minimum_required(VERSION 3.16)\nproject(T NONE)\n"
                                        "set(Torch_DIR /nonexistent CACHE PATH \"\" FORCE)\n"
                                        "set(CMAKE_FIND_USE_CMAKE_SYSTEM_PATH OFF)\nfind_package(Torch REQUIRED)\n"}}));
        DeployRequest request;
        request.remoteRoot = newRoot(QStringLiteral("torchless"));
        QVERIFY(deploy(deployer, request, 120000));
        QCOMPARE(deployer.error().code, ErrorCode::RemoteFailed);
        QVERIFY2(deployer.error().message.contains(QLatin1String(": no LibTorch found; looked in: an installed PyTorch (")),
                 qPrintable(deployer.error().message));
        QVERIFY2(deployer.error().message.contains(QLatin1String("CMake's find_package(Torch)")), qPrintable(deployer.error().message));
        QVERIFY(!deployer.error().message.contains(QLatin1Char('\n')));
        qInfo("%s", qPrintable(deployer.error().message));
    }

    // The build is a step that would run for an hour; a cancel ends it on the server.
    void cancelEndsTheRemoteBuild()
    {
        const QByteArray seconds = QByteArray::number(3000 + QCoreApplication::applicationPid() % 500);
        TrainerDeployer deployer(m_client.get());
        deployer.setSource(tinySource(newRoot(QStringLiteral("slow-source")),
                                      {{QStringLiteral("CMakeLists.txt"),
                                        "cmake_minimum_required(VERSION 3.16)\nproject(T NONE)\n"
                                        "add_custom_target(rdt-trainer COMMAND sleep " + seconds + ")\n"}}));
        DeployRequest request;
        request.remoteRoot = newRoot(QStringLiteral("slow"));
        QSignalSpy done(&deployer, &TrainerDeployer::finished);
        bool building = false;
        connect(&deployer, &TrainerDeployer::progress, this, [&building](const DeployProgress &p) {
            building = building || p.stage == DeployProgress::Stage::Building;
        });
        deployer.start(request);
        QTRY_VERIFY_WITH_TIMEOUT(building && processWithArgument(seconds), 60000);
        QVERIFY(done.isEmpty());
        deployer.cancel();
        QCOMPARE(done.count(), 1);
        QCOMPARE(deployer.error().code, ErrorCode::Cancelled);
        QVERIFY2(deployer.error().message.contains(QLatin1String("cancelled while building")), qPrintable(deployer.error().message));
        QTRY_VERIFY_WITH_TIMEOUT(!processWithArgument(seconds), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(request.remoteRoot + QStringLiteral("/.rdt/trainer/build.pid")), 5000);
    }

    // Ctrl-C during `rdtctl deploy`'s build of the real source ends the build on the
    // server before rdtctl exits (130).
    void interruptingRdtctlEndsTheRemoteBuild()
    {
        const QString root = newRoot(QStringLiteral("interrupted"));
        QStringList arguments = {QStringLiteral("-F"), m_topo.sshConfigFile(), QStringLiteral("deploy"), QStringLiteral("gpu"),
                                 QStringLiteral("--root"), root};
        for (const auto &variable : ccacheEnvironment(root))
            arguments << QStringLiteral("--env") << QString::fromUtf8(variable.first + '=' + variable.second);
        QProcess rdtctl;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), m_home.path());
        rdtctl.setProcessEnvironment(environment);
        rdtctl.start(QStringLiteral(RDT_RDTCTL_BINARY), arguments);
        QByteArray said;
        QTRY_VERIFY_WITH_TIMEOUT((said += rdtctl.readAllStandardError()).contains("\nbuilding"), 120000);
        QTRY_VERIFY_WITH_TIMEOUT(processMentioning((root + QStringLiteral("/.rdt/trainer/build")).toUtf8()), 30000);
        ::kill(pid_t(rdtctl.processId()), SIGINT);
        QVERIFY(rdtctl.waitForFinished(60000));
        said += rdtctl.readAllStandardError();
        QCOMPARE(rdtctl.exitCode(), 130);
        QVERIFY2(said.contains(": cancelled while building"), said.constData());
        QTRY_VERIFY_WITH_TIMEOUT(!processMentioning((root + QStringLiteral("/.rdt/trainer/build")).toUtf8()), 15000);
        QVERIFY(!QFileInfo::exists(root + QStringLiteral("/bin/rdt-trainer")));
    }

    // The one real build: rdtctl deploy, then again (up to date), the server check's view
    // of it, then a trainer of another version replaced by an incremental rebuild.
    void deployBuildsInstallsAndThenKnowsItIsUpToDate()
    {
        QStringList arguments = {QStringLiteral("deploy"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root};
        for (const auto &variable : ccacheEnvironment(m_root))
            arguments << QStringLiteral("--env") << QString::fromUtf8(variable.first + '=' + variable.second);
        for (const QString &argument : ccacheArguments())
            arguments << QStringLiteral("--cmake-arg") << argument;
        QElapsedTimer clock;
        clock.start();
        const CliRun run = rdtctl(arguments, 1500000);
        const qint64 buildMs = clock.elapsed();
        QVERIFY2(run.exitCode == 0, run.err.right(2000).constData());
        const QString trainer = m_root + QStringLiteral("/bin/rdt-trainer");
        QVERIFY2(run.out.startsWith("installed rdt-trainer 0.1.0 at " + trainer.toUtf8() + ", LibTorch "), run.out.constData());
        QVERIFY2(run.err.startsWith("inspecting"), run.err.constData());
        for (const char *stage : {"uploading", "unpacking", "configuring", "building", "installing"})
            QVERIFY2(run.err.contains(QByteArray("\n") + stage), run.err.constData());
        qInfo("real deploy (rdtctl, ccache %s): %.1f s; %s", m_ccacheDir.isEmpty() ? "off" : "on", buildMs / 1000.0,
              run.out.trimmed().constData());

        // What the server now has runs and is this version; nothing half-written is left.
        QProcess info;
        info.start(trainer, {QStringLiteral("info"), QStringLiteral("--json")});
        QVERIFY(info.waitForFinished(60000));
        QCOMPARE(info.exitCode(), 0);
        QCOMPARE(QJsonDocument::fromJson(info.readAllStandardOutput()).object().value(QStringLiteral("version")).toString(),
                 QStringLiteral(RDT_VERSION));
        QVERIFY(!QFileInfo::exists(m_root + QStringLiteral("/bin/.rdt-trainer.new")));
        QVERIFY(QFileInfo::exists(m_root + QStringLiteral("/bin/rdt-trainer.source")));

        // The test's own connection sat idle through that build, minutes long on a cold
        // cache (once it was dropped after 480 s of a loaded machine: "no answer for 45 s"
        // from the jump host); what follows uses a fresh one, as a user coming back would.
        Connected fresh = connectRoute(m_topo.gpuRoute());
        QVERIFY2(fresh.client, qPrintable(fresh.error.message));
        m_client = std::move(fresh.client);

        // Again: up to date, nothing uploaded or built.
        TrainerDeployer deployer(m_client.get());
        DeployRequest request;
        request.remoteRoot = m_root;
        request.environment = ccacheEnvironment(m_root);
        request.extraCmakeArguments = ccacheArguments();
        const QDateTime installedAt = QFileInfo(trainer).lastModified();
        QList<DeployProgress> seen;
        QVERIFY(deploy(deployer, request, 60000, &seen));
        QVERIFY2(deployer.error().code == ErrorCode::None, qPrintable(deployer.error().message));
        QVERIFY(deployer.outcome().upToDate);
        QVERIFY(!deployer.outcome().sourceDiffers);
        QCOMPARE(deployer.outcome().trainerPath, trainer);
        QCOMPARE(deployer.outcome().version, QStringLiteral(RDT_VERSION));
        QCOMPARE(seen.size(), 1);   // inspecting only
        QCOMPARE(QFileInfo(trainer).lastModified(), installedAt);
        qInfo("up to date: %.1f s", deployer.outcome().seconds);

        // The server check uses it and finds it current.
        ServerCheck check(m_client.get());
        QSignalSpy checked(&check, &ServerCheck::finished);
        check.start(m_root);
        QVERIFY(checked.wait(60000));
        bool trainerOk = false;
        for (const CheckItem &item : check.items()) {
            if (item.id == CheckId::Trainer)
                trainerOk = item.status == CheckStatus::Ok && item.detail.startsWith(trainer + QStringLiteral(", version "));
        }
        QVERIFY(trainerOk);

        // A trainer of another version is replaced; the build folder is kept and the
        // source unchanged, so the rebuild compiles nothing.
        QVERIFY(QFile::remove(trainer));
        QVERIFY(writeFile(trainer, "#!/bin/sh\necho '{\"version\":\"0.0.1\"}'\n"));
        QVERIFY(QFile::setPermissions(trainer, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        seen.clear();
        clock.restart();
        QVERIFY(deploy(deployer, request, 600000, &seen));
        QVERIFY2(deployer.error().code == ErrorCode::None, qPrintable(deployer.error().message));
        QVERIFY(!deployer.outcome().upToDate);
        QCOMPARE(deployer.outcome().version, QStringLiteral(RDT_VERSION));
        QCOMPARE(deployer.outcome().buildSteps, 0);
        QVERIFY2(deployer.outcome().libtorchFrom.startsWith(QLatin1String("system")), qPrintable(deployer.outcome().libtorchFrom));
        QList<DeployProgress::Stage> stages;
        for (const DeployProgress &p : seen) {
            if (stages.isEmpty() || stages.last() != p.stage)
                stages.append(p.stage);
        }
        QCOMPARE(stages, (QList<DeployProgress::Stage>{DeployProgress::Stage::Inspecting, DeployProgress::Stage::Uploading,
                                                       DeployProgress::Stage::Unpacking, DeployProgress::Stage::Configuring,
                                                       DeployProgress::Stage::Building, DeployProgress::Stage::Installing}));
        info.start(trainer, {QStringLiteral("info"), QStringLiteral("--json")});
        QVERIFY(info.waitForFinished(60000));
        QVERIFY(info.readAllStandardOutput().contains("\"version\":\"" RDT_VERSION "\""));
        qInfo("version mismatch rebuilt and installed: %.1f s", clock.elapsed() / 1000.0);
    }
};

QTEST_GUILESS_MAIN(DeployTest)
#include "sshd_deploy.moc"
