// The server check's probe script, run here with sh/bash on throwaway root folders (hostile
// names included) and parsed into the checklist, the way `rdtctl check` runs it on the
// server. The nvidia-smi and df parsers have their own test (unit_gpu_disk_parsers.cpp).
#include "CheckItem.h"
#include "GpuInfo.h"
#include "ServerProbe.h"
#include "ServerProbeScript.h"
#include "ShellQuote.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using rdt::CheckId;
using rdt::CheckItem;
using rdt::CheckStatus;
using rdt::GpuInfo;
using rdt::ServerProbe;
using rdt::ServerProbeExpectations;
using rdt::ServerProbeScript;

namespace {

const QString kDataDir = QStringLiteral(RDT_SOURCE_DIR "/tests/remote/data");

bool writeFile(const QString &path, const QByteArray &content, bool executable = false)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write(content);
    file.close();
    if (executable)
        file.setPermissions(file.permissions() | QFile::ExeOwner | QFile::ExeGroup);
    return true;
}

const CheckItem *findItem(const QList<CheckItem> &items, CheckId id)
{
    for (const CheckItem &item : items) {
        if (item.id == id)
            return &item;
    }
    return nullptr;
}

QString describe(const QList<CheckItem> &items)
{
    return QString::fromUtf8(QJsonDocument(CheckItem::toJsonArray(items)).toJson());
}

// Thresholds this machine meets, so the tests check the probe and not the build machine.
ServerProbeExpectations lenient()
{
    ServerProbeExpectations expectations;
    expectations.requiredFreeBytes = 1 << 20;
    expectations.minimumCpuCount = 1;
    expectations.minimumMemoryBytes = 1 << 20;
    return expectations;
}

} // namespace

class ServerProbeTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_work;
    QString m_binDir;  // first on PATH for the probe: the fake nvidia-smi lives here

    // Runs the probe as the server would: `shell -c SCRIPT rdt-server-probe ROOT [MODEL]`.
    // With viaCommandLine, the argument vector is first quoted into one command line by
    // shellCommandLine() and handed to `sh -c`, exactly as sshd hands it to the login shell.
    QByteArray runProbe(const QString &root, const QString &model = {},
                        const QString &shell = QStringLiteral("sh"), bool viaCommandLine = false,
                        const QString &tmpDir = {})
    {
        QList<QByteArray> argv = ServerProbeScript::command(root, model);
        argv[0] = shell.toUtf8();
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PATH"),
                           m_binDir + QLatin1Char(':') + environment.value(QStringLiteral("PATH")));
        environment.insert(QStringLiteral("HOME"), m_work.path());
        if (!tmpDir.isEmpty())
            environment.insert(QStringLiteral("TMPDIR"), tmpDir);
        process.setProcessEnvironment(environment);
        process.setWorkingDirectory(m_work.path());
        if (viaCommandLine) {
            process.start(QStringLiteral("sh"),
                          {QStringLiteral("-c"), QString::fromUtf8(rdt::shellCommandLine(argv))});
        } else {
            QStringList arguments;
            for (qsizetype i = 1; i < argv.size(); ++i)
                arguments.append(QString::fromUtf8(argv[i]));
            process.start(shell, arguments);
        }
        if (!process.waitForFinished(60000))
            qWarning("probe did not finish: %s", qPrintable(process.errorString()));
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
            qWarning("probe exited with %d: %s", process.exitCode(),
                     process.readAllStandardError().constData());
        return process.readAllStandardOutput();
    }

    // A root as the setup wizard leaves it: the three folders, a pretrained model, and a
    // trainer in bin/ that reports `version` in `info --json`.
    void makeRoot(const QString &root, const QByteArray &trainerScript = {})
    {
        for (const char *folder : {"datasets", "checkpoints", "configs"})
            QVERIFY(QDir().mkpath(root + QLatin1Char('/') + QLatin1String(folder)));
        QVERIFY(writeFile(root + QStringLiteral("/checkpoints/rdt-1b/config.json"), "{}\n"));
        QVERIFY(writeFile(root + QStringLiteral("/checkpoints/rdt-1b/pytorch_model.bin"),
                          QByteArray(3 << 20, 'w')));
        QVERIFY(writeFile(root + QStringLiteral("/bin/rdt-trainer"),
                          trainerScript.isEmpty()
                              ? QByteArray("#!/bin/sh\n[ \"$1 $2\" = 'info --json' ] || exit 2\n"
                                           "echo '{\"version\": \"" RDT_VERSION "\", "
                                           "\"libtorch\": \"2.1.2\", \"cuda_available\": true, "
                                           "\"cuda_device_count\": 8}'\n")
                              : trainerScript,
                          true));
    }

    bool hasRealNvidiaSmi() const
    {
        // The probe appends these to PATH; a real driver there would shadow "no driver".
        for (const char *dir : {"/usr/local/bin", "/usr/bin", "/bin", "/usr/local/nvidia/bin"}) {
            if (QFileInfo::exists(QLatin1String(dir) + QStringLiteral("/nvidia-smi")))
                return true;
        }
        return !QStandardPaths::findExecutable(QStringLiteral("nvidia-smi")).isEmpty();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        m_binDir = m_work.path() + QStringLiteral("/fakebin");
        QVERIFY(QDir().mkpath(m_binDir));
    }

    void init()
    {
        QFile::remove(m_binDir + QStringLiteral("/nvidia-smi"));
    }

    // --- the probe script, run for real ---

    void scriptIsPosix()
    {
        for (const QString &shell : {QStringLiteral("sh"), QStringLiteral("bash"),
                                     QStringLiteral("dash"), QStringLiteral("busybox")}) {
            const QString path = QStandardPaths::findExecutable(shell);
            if (path.isEmpty())
                continue;
            QProcess process;
            QStringList arguments{QStringLiteral("-n"), QStringLiteral("-c"),
                                  QString::fromUtf8(ServerProbeScript::script())};
            if (shell == QLatin1String("busybox"))
                arguments.prepend(QStringLiteral("sh"));
            process.start(path, arguments);
            QVERIFY(process.waitForFinished(10000));
            QVERIFY2(process.exitCode() == 0,
                     qPrintable(shell + QStringLiteral(": ") + process.readAllStandardError()));
        }
    }

    void fullServer_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::newRow("sh") << "sh";
        if (!QStandardPaths::findExecutable(QStringLiteral("bash")).isEmpty())
            QTest::newRow("bash") << "bash";
    }

    void fullServer()
    {
        QFETCH(QString, shell);
        QVERIFY(QFile::link(kDataDir + QStringLiteral("/fake-nvidia-smi"),
                            m_binDir + QStringLiteral("/nvidia-smi")));
        const QString root = m_work.path() + QStringLiteral("/full-") + shell;
        makeRoot(root);

        const QByteArray output = runProbe(root, {}, shell);
        const auto items = ServerProbe::parse(output, lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message + QLatin1Char('\n') + output));
        QCOMPARE(items->size(), 9);
        QCOMPARE(items->first().id, CheckId::Gpus);
        QCOMPARE(items->last().id, CheckId::OperatingSystem);

        const CheckItem *gpus = findItem(*items, CheckId::Gpus);
        QCOMPARE(gpus->gpus.size(), 8);
        QCOMPARE(gpus->status, CheckStatus::Warning);  // 4 of 8 cards run another job
        QVERIFY2(gpus->detail.startsWith(QStringLiteral("8 × NVIDIA A800-SXM4-80GB (80 GiB)")),
                 qPrintable(gpus->detail));
        QVERIFY2(gpus->detail.contains(QStringLiteral("4 busy: GPU 0, 1, 2, 3")),
                 qPrintable(gpus->detail));

        for (CheckId id : {CheckId::Disk, CheckId::Trainer, CheckId::RootFolders,
                           CheckId::PretrainedModel, CheckId::Cpu, CheckId::Memory,
                           CheckId::OperatingSystem}) {
            const CheckItem *item = findItem(*items, id);
            QVERIFY2(item, qPrintable(CheckItem::idName(id)));
            QVERIFY2(item->status == CheckStatus::Ok, qPrintable(describe(*items)));
        }
        const CheckItem *trainer = findItem(*items, CheckId::Trainer);
        QCOMPARE(trainer->detail, root + QStringLiteral("/bin/rdt-trainer, version " RDT_VERSION
                                                        ", LibTorch 2.1.2, CUDA with 8 device(s)"));
        const CheckItem *model = findItem(*items, CheckId::PretrainedModel);
        QCOMPARE(model->detail, QStringLiteral("rdt-1b (pytorch_model.bin, 3 MiB)"));
        const CheckItem *tmux = findItem(*items, CheckId::Tmux);
        const bool hasTmux = !QStandardPaths::findExecutable(QStringLiteral("tmux")).isEmpty();
        QCOMPARE(tmux->status, hasTmux ? CheckStatus::Ok : CheckStatus::Warning);
        QCOMPARE(CheckItem::worstStatus(*items), CheckStatus::Warning);
    }

    void hostileRootPaths_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("viaCommandLine");
        const QStringList names{
            QStringLiteral("with spaces  and\ttab"),
            QStringLiteral("it's \"quoted\""),
            QStringLiteral("$(touch PWNED)"),
            QStringLiteral("`touch PWNED` ; touch PWNED && echo"),
            QStringLiteral("-n"),
            QStringLiteral("star * and ? and [x]"),
            QStringLiteral("back\\slash $HOME ${PATH}"),
            QStringLiteral("ünïcødé ✓"),
            QStringLiteral("new\nline"),
        };
        for (const QString &name : names) {
            const QByteArray tag = name.toUtf8().replace('\n', "\\n");
            QTest::addRow("argv %s", tag.constData()) << name << false;
            QTest::addRow("command line %s", tag.constData()) << name << true;
        }
    }

    void hostileRootPaths()
    {
        QFETCH(QString, name);
        QFETCH(bool, viaCommandLine);
        static int counter = 0;
        const QString parent = m_work.path() + QStringLiteral("/hostile%1").arg(++counter);
        const QString root = parent + QLatin1Char('/') + name;
        makeRoot(root);
        const QString decoy = parent + QStringLiteral("/star x and y and x");
        QVERIFY(QDir().mkpath(decoy));  // what the unquoted glob would pick instead

        const QByteArray output = runProbe(root, {}, QStringLiteral("sh"), viaCommandLine);
        const auto items = ServerProbe::parse(output, lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message + QLatin1Char('\n') + output));
        QVERIFY2(!QFileInfo::exists(m_work.path() + QStringLiteral("/PWNED")),
                 "the root's text was run as a command");
        const CheckItem *rootItem = findItem(*items, CheckId::RootFolders);
        QVERIFY2(rootItem->status == CheckStatus::Ok, qPrintable(describe(*items)));
        QVERIFY2(rootItem->detail.startsWith(root), qPrintable(rootItem->detail));
        const CheckItem *trainer = findItem(*items, CheckId::Trainer);
        QVERIFY2(trainer->status == CheckStatus::Ok, qPrintable(describe(*items)));
        const CheckItem *model = findItem(*items, CheckId::PretrainedModel);
        QVERIFY2(model->status == CheckStatus::Ok, qPrintable(describe(*items)));
        QCOMPARE(findItem(*items, CheckId::Disk)->status, CheckStatus::Ok);
    }

    // A full /tmp (mktemp fails): the script falls back to command substitution, loses the
    // sub-commands' stderr, and still reports every section.
    void withoutTemporaryFolder()
    {
        const QString root = m_work.path() + QStringLiteral("/no-tmp");
        makeRoot(root);
        const QByteArray output = runProbe(root, {}, QStringLiteral("sh"), false,
                                           m_work.path() + QStringLiteral("/no/such/tmp"));
        QVERIFY2(!output.contains("\n!"), output.constData());
        const auto items = ServerProbe::parse(output, lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        QCOMPARE(items->size(), 9);
        for (CheckId id : {CheckId::RootFolders, CheckId::Trainer, CheckId::PretrainedModel,
                           CheckId::Disk}) {
            QVERIFY2(findItem(*items, id)->status == CheckStatus::Ok, qPrintable(describe(*items)));
        }
    }

    void tildeMeansRemoteHome()
    {
        makeRoot(m_work.path() + QStringLiteral("/tilde root"));
        const auto items = ServerProbe::parse(runProbe(QStringLiteral("~/tilde root")), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        const CheckItem *rootItem = findItem(*items, CheckId::RootFolders);
        QVERIFY2(rootItem->status == CheckStatus::Ok, qPrintable(describe(*items)));
    }

    // A relative root is relative to the remote home (sshd starts commands there); one that
    // starts with `-` must not turn into an option of df, cd or du.
    void relativeRootStartingWithDash()
    {
        makeRoot(m_work.path() + QStringLiteral("/-rf root"));
        const auto items = ServerProbe::parse(runProbe(QStringLiteral("-rf root")), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        for (CheckId id : {CheckId::RootFolders, CheckId::Disk, CheckId::Trainer,
                           CheckId::PretrainedModel}) {
            QVERIFY2(findItem(*items, id)->status == CheckStatus::Ok, qPrintable(describe(*items)));
        }
        QVERIFY2(findItem(*items, CheckId::RootFolders)->detail.startsWith(m_work.path()),
                 qPrintable(findItem(*items, CheckId::RootFolders)->detail));
    }

    void forgedMarkersInFolderNames()
    {
        const QString root = m_work.path() + QStringLiteral("/forged");
        makeRoot(root);
        const QString evil = root + QStringLiteral("/checkpoints/evil\n@@end\n@@section gpus\n|0, X, 1, 1, 1, 1");
        QVERIFY(writeFile(evil + QStringLiteral("/config.json"), "{}"));
        QVERIFY(writeFile(evil + QStringLiteral("/model.safetensors"), "weights"));
        const QByteArray output = runProbe(root);
        const auto items = ServerProbe::parse(output, lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        QCOMPARE(items->size(), 9);
        const CheckItem *model = findItem(*items, CheckId::PretrainedModel);
        QVERIFY2(model->detail.contains(QStringLiteral("model.safetensors")), qPrintable(model->detail));
        QVERIFY2(model->detail.contains(QStringLiteral("rdt-1b")), qPrintable(model->detail));
        QVERIFY(findItem(*items, CheckId::Memory));  // sections after the model still parsed
    }

    // sshd keeps the channel's stdin open; a sub-command reading it must not wait for ever.
    void subCommandsGetNoStdin()
    {
        const QString tmux = m_binDir + QStringLiteral("/tmux");
        QVERIFY(writeFile(tmux, "#!/bin/sh\ncat >/dev/null\necho 'tmux 9.9'\n", true));
        const QByteArray output = runProbe(m_work.path());
        QFile::remove(tmux);
        const auto items = ServerProbe::parse(output, lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        QCOMPARE(findItem(*items, CheckId::Tmux)->detail, QStringLiteral("tmux 9.9"));
    }

    void missingRootAndNoDriver()
    {
        if (hasRealNvidiaSmi())
            QSKIP("this machine has a real nvidia-smi in the probe's PATH");
        const QString root = m_work.path() + QStringLiteral("/not/there/yet");
        const auto items = ServerProbe::parse(runProbe(root), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));

        const CheckItem *gpus = findItem(*items, CheckId::Gpus);
        QCOMPARE(gpus->status, CheckStatus::Failed);
        QVERIFY2(gpus->detail.contains(QStringLiteral("no NVIDIA driver")), qPrintable(gpus->detail));
        QVERIFY2(gpus->hint.contains(QStringLiteral("nvidia-smi")), qPrintable(gpus->hint));
        QVERIFY(gpus->gpus.isEmpty());

        const CheckItem *rootItem = findItem(*items, CheckId::RootFolders);
        QCOMPARE(rootItem->status, CheckStatus::Failed);
        QCOMPARE(rootItem->detail, root + QStringLiteral(" does not exist"));
        QVERIFY2(rootItem->hint.contains(QStringLiteral("mkdir -p '%1/datasets'").arg(root)),
                 qPrintable(rootItem->hint));
        // df still answers for the filesystem the root would be created on.
        QCOMPARE(findItem(*items, CheckId::Disk)->status, CheckStatus::Ok);
        if (QStandardPaths::findExecutable(QStringLiteral("rdt-trainer")).isEmpty())
            QCOMPARE(findItem(*items, CheckId::Trainer)->status, CheckStatus::Failed);
        QCOMPARE(findItem(*items, CheckId::PretrainedModel)->status, CheckStatus::Warning);
    }

    void rootWithMissingFolders()
    {
        const QString root = m_work.path() + QStringLiteral("/partial");
        QVERIFY(QDir().mkpath(root + QStringLiteral("/datasets")));
        const auto items = ServerProbe::parse(runProbe(root), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        const CheckItem *rootItem = findItem(*items, CheckId::RootFolders);
        QCOMPARE(rootItem->status, CheckStatus::Warning);
        QVERIFY2(rootItem->detail.endsWith(QStringLiteral(" lacks checkpoints/, configs/")),
                 qPrintable(rootItem->detail));
    }

    void trainerVersions()
    {
        const QString root = m_work.path() + QStringLiteral("/old-trainer");
        makeRoot(root, "#!/bin/sh\necho '{\"version\": \"0.0.1\"}'\n");
        auto items = ServerProbe::parse(runProbe(root), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        const CheckItem *trainer = findItem(*items, CheckId::Trainer);
        QCOMPARE(trainer->status, CheckStatus::Warning);
        QVERIFY2(trainer->detail.contains(QStringLiteral("version 0.0.1; this workbench is " RDT_VERSION)),
                 qPrintable(trainer->detail));

        // Debian's CPU-only LibTorch on a server with GPUs.
        QVERIFY(QFile::link(kDataDir + QStringLiteral("/fake-nvidia-smi"),
                            m_binDir + QStringLiteral("/nvidia-smi")));
        makeRoot(root, "#!/bin/sh\necho '{\"version\": \"" RDT_VERSION "\", \"libtorch\": "
                       "\"2.1.2\", \"cuda_available\": false, \"cuda_device_count\": 0}'\n");
        items = ServerProbe::parse(runProbe(root), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        trainer = findItem(*items, CheckId::Trainer);
        QCOMPARE(trainer->status, CheckStatus::Warning);
        QVERIFY2(trainer->detail.contains(QStringLiteral("no CUDA although the server has 8 GPU(s)")),
                 qPrintable(trainer->detail));
        QFile::remove(m_binDir + QStringLiteral("/nvidia-smi"));

        makeRoot(root, "#!/bin/sh\necho 'rdt-trainer: error while loading shared libraries: "
                       "libtorch_cpu.so: cannot open shared object file' >&2\nexit 127\n");
        items = ServerProbe::parse(runProbe(root), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        trainer = findItem(*items, CheckId::Trainer);
        QCOMPARE(trainer->status, CheckStatus::Failed);
        QVERIFY2(trainer->detail.contains(QStringLiteral("libtorch_cpu.so")), qPrintable(trainer->detail));
        QVERIFY2(trainer->hint.contains(QStringLiteral("ldd")), qPrintable(trainer->hint));
    }

    void explicitModelFolder()
    {
        const QString root = m_work.path() + QStringLiteral("/explicit");
        makeRoot(root);
        QVERIFY(writeFile(root + QStringLiteral("/mine/rdt-170m/config.json"), "{}"));
        QVERIFY(writeFile(root + QStringLiteral("/mine/rdt-170m/model.safetensors"),
                          QByteArray(2048, 's')));
        QVERIFY(writeFile(root + QStringLiteral("/mine/rdt-170m/pytorch_model.bin"),
                          QByteArray(4096, 'b')));
        auto items = ServerProbe::parse(runProbe(root, QStringLiteral("mine/rdt-170m")), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        const CheckItem *model = findItem(*items, CheckId::PretrainedModel);
        QCOMPARE(model->status, CheckStatus::Ok);
        // safetensors first, as the trainer loads it.
        QCOMPARE(model->detail, QStringLiteral("rdt-170m (model.safetensors, 2 KiB)"));

        QVERIFY(writeFile(root + QStringLiteral("/half/config.json"), "{}"));
        items = ServerProbe::parse(runProbe(root, root + QStringLiteral("/half")), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        model = findItem(*items, CheckId::PretrainedModel);
        QCOMPARE(model->status, CheckStatus::Failed);
        QVERIFY2(model->detail.contains(QStringLiteral("neither model.safetensors nor pytorch_model.bin")),
                 qPrintable(model->detail));

        items = ServerProbe::parse(runProbe(root, QStringLiteral("gone")), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        model = findItem(*items, CheckId::PretrainedModel);
        QCOMPARE(model->status, CheckStatus::Failed);
        QVERIFY2(model->detail.contains(QStringLiteral("/gone does not exist")), qPrintable(model->detail));
    }

    void diskBelowRequirement()
    {
        const QString root = m_work.path() + QStringLiteral("/disk");
        makeRoot(root);
        ServerProbeExpectations expectations = lenient();
        expectations.requiredFreeBytes = qint64(1) << 60;  // an exbibyte: no disk has it
        const auto items = ServerProbe::parse(runProbe(root), expectations);
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        const CheckItem *disk = findItem(*items, CheckId::Disk);
        QCOMPARE(disk->status, CheckStatus::Failed);
        QVERIFY2(disk->detail.contains(QStringLiteral("a run needs 1048576.0 TiB")), qPrintable(disk->detail));
        QVERIFY(!disk->hint.isEmpty());
    }

    // --- parser on canned output ---

    void bannerBeforeHeaderIsSkipped()
    {
        const QByteArray output =
            "Welcome to gpu01! Quota: 12 GB\n"
            "@@rdt-server-probe 1\n"
            "@@section gpus\n!nvidia-smi: not found on PATH\n@@status 127\n"
            "@@section os\n|kernel=Linux\n|release=6.1.0\n|machine=x86_64\n"
            "|pretty=\"Ubuntu 22.04.4 LTS\"\n@@status 0\n"
            "@@end\n";
        const auto items = ServerProbe::parse(output);
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        QCOMPARE(items->size(), 9);
        QCOMPARE(findItem(*items, CheckId::OperatingSystem)->detail,
                 QStringLiteral("Ubuntu 22.04.4 LTS, Linux 6.1.0 x86_64"));
        // Sections the output lacks are failed items that say so, not a crash.
        const CheckItem *disk = findItem(*items, CheckId::Disk);
        QCOMPARE(disk->status, CheckStatus::Failed);
        QVERIFY2(disk->detail.contains(QStringLiteral("no \"disk\" section")), qPrintable(disk->detail));
    }

    void badOutputIsAnError()
    {
        auto notStarted = ServerProbe::parse("fish: Unknown command: sh\n");
        QVERIFY(!notStarted.ok());
        QCOMPARE(notStarted.error().code, rdt::ErrorCode::RemoteFailed);
        QVERIFY2(notStarted.error().message.contains(QStringLiteral("fish: Unknown command")),
                 qPrintable(notStarted.error().message));

        auto cut = ServerProbe::parse("@@rdt-server-probe 1\n@@section gpus\n|0, A, 1, 1, 1, 1\n"
                                      "@@status 0\n@@section disk\n|Filesys");
        QVERIFY(!cut.ok());
        QVERIFY2(cut.error().message.contains(QStringLiteral("last section \"disk\"")),
                 qPrintable(cut.error().message));

        QVERIFY(!ServerProbe::parse(QByteArray()).ok());
    }

    void gpuFailures_data()
    {
        QTest::addColumn<QByteArray>("section");
        QTest::addColumn<QString>("expected");
        QTest::newRow("driver mismatch")
            << QByteArray("|NVIDIA-SMI has failed because it couldn't communicate with the "
                          "NVIDIA driver. Make sure that the latest NVIDIA driver is installed "
                          "and running.\n@@status 9\n")
            << "exit status 9: NVIDIA-SMI has failed";
        QTest::newRow("hung") << QByteArray("@@status 124\n") << "within 30 s";
        QTest::newRow("no gpus") << QByteArray("@@status 0\n") << "lists no GPUs";
        QTest::newRow("garbage") << QByteArray("|No devices were found\n@@status 0\n")
                                 << "expected 6 comma-separated fields";
    }

    void gpuFailures()
    {
        QFETCH(QByteArray, section);
        QFETCH(QString, expected);
        const auto items = ServerProbe::parse("@@rdt-server-probe 1\n@@section gpus\n" + section
                                              + "@@end\n");
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        const CheckItem *gpus = findItem(*items, CheckId::Gpus);
        QCOMPARE(gpus->status, CheckStatus::Failed);
        QVERIFY2(gpus->detail.contains(expected), qPrintable(gpus->detail));
        QVERIFY(!gpus->hint.isEmpty());
    }

    // --- JSON for rdtctl check --json ---

    void jsonRoundTrip()
    {
        QVERIFY(QFile::link(kDataDir + QStringLiteral("/fake-nvidia-smi"),
                            m_binDir + QStringLiteral("/nvidia-smi")));
        const QString root = m_work.path() + QStringLiteral("/json");
        makeRoot(root);
        const auto items = ServerProbe::parse(runProbe(root), lenient());
        QVERIFY2(items.ok(), qPrintable(items.error().message));

        const QJsonArray array = CheckItem::toJsonArray(*items);
        const QJsonObject gpus = array.first().toObject();
        QCOMPARE(gpus.value(QStringLiteral("id")).toString(), QStringLiteral("gpus"));
        QCOMPARE(gpus.value(QStringLiteral("status")).toString(), QStringLiteral("warning"));
        QCOMPARE(gpus.value(QStringLiteral("gpus")).toArray().size(), 8);
        QCOMPARE(gpus.value(QStringLiteral("gpus")).toArray().at(4).toObject()
                     .value(QStringLiteral("memory_total_mib")).toInt(), 81920);
        QVERIFY(!array.at(1).toObject().contains(QStringLiteral("gpus")));

        const QJsonDocument document = QJsonDocument::fromJson(QJsonDocument(array).toJson());
        for (qsizetype i = 0; i < items->size(); ++i) {
            const auto back = CheckItem::fromJson(document.array().at(i).toObject());
            QVERIFY2(back.ok(), qPrintable(back.error().message));
            const CheckItem &original = items->at(i);
            QCOMPARE(back->id, original.id);
            QCOMPARE(back->status, original.status);
            QCOMPARE(back->title, original.title);
            QCOMPARE(back->detail, original.detail);
            QCOMPARE(back->hint, original.hint);
            QCOMPARE(back->gpus.size(), original.gpus.size());
        }
        const auto gpuBack = CheckItem::fromJson(gpus);
        QCOMPARE(gpuBack->gpus.at(0).utilizationPercent.value_or(-1), 98);

        QJsonObject unknown = gpus;
        unknown.insert(QStringLiteral("id"), QStringLiteral("flux-capacitor"));
        const auto bad = CheckItem::fromJson(unknown);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.contains(QStringLiteral("flux-capacitor")),
                 qPrintable(bad.error().message));
    }

    void reservedIdsForTheSyncIssue()
    {
        QCOMPARE(CheckItem::idName(CheckId::DatasetChecksum), QStringLiteral("dataset-checksum"));
        QCOMPARE(CheckItem::idName(CheckId::ModelChecksum), QStringLiteral("model-checksum"));
        QCOMPARE(CheckItem::idName(CheckId::DatasetStatistics), QStringLiteral("dataset-statistics"));
        QCOMPARE(CheckItem::worstStatus({}), CheckStatus::Ok);
    }
};

QTEST_GUILESS_MAIN(ServerProbeTest)
#include "unit_server_probe.moc"
