// The setup wizard clicked through as a user would, against the real jump topology: a
// changed host key refused in red; the unknown jump host key accepted in the dialog; the
// server check with the "create folders" Fix; a generated LIBERO dataset and a small model
// folder compared and uploaded (checked byte for byte on the GPU host's disk); the CPU
// smoke-test preset; the launch of the real rdt-trainer on the GPU host, a failing launch
// showing the trainer's own error, and the hand-over once `start` is in metrics.jsonl.
// Screenshots of every page go to build/screenshots.
#include "support_topology.h"

#include "CheckListModel.h"
#include "ComparisonTableModel.h"
#include "ConnectionPage.h"
#include "DataModelPage.h"
#include "GpuPicker.h"
#include <QSpinBox>
#include "HostKeyDialog.h"
#include "LaunchPage.h"
#include "MainWindow.h"
#include "Sandbox.h"
#include "ServerCheckPage.h"
#include "SetupWizard.h"
#include "TrainingConfigPage.h"
#include "WizardSession.h"
#include "WorkbenchController.h"

#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (QPushButton *button : parent->findChildren<QPushButton *>())
        if (button->text() == text && button->isVisible())
            return button;
    return nullptr;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

bool isListening(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(quint16(port));
    const bool listening = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return listening;
}

QByteArray md5Of(const QString &path)
{
    return QCryptographicHash::hash(readFile(path), QCryptographicHash::Md5).toHex();
}

// Runs a program to its end (setup only, never from the wizard's code paths).
QString runProgram(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(180000))
        return QStringLiteral("%1 did not finish").arg(program);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QStringLiteral("%1 failed: %2").arg(program, QString::fromLocal8Bit(process.readAll()));
    return {};
}

QString programPath(const char *variable, const char *builtIn)
{
    const QString fromEnvironment = qEnvironmentVariable(variable);
    return fromEnvironment.isEmpty() ? QString::fromUtf8(builtIn) : fromEnvironment;
}

// The tiny RDT (hidden 64, depth 2) in RDT's base.yaml schema.
constexpr char kTinyConfig[] = "common: {img_history_size: 2, action_chunk_size: 64, num_cameras: 3, state_dim: 128}\n"
                               "dataset: {tokenizer_max_length: 16}\n"
                               "model:\n  lang_token_dim: 32\n  img_token_dim: 24\n  img_num_patches: 4\n"
                               "  rdt: {hidden_size: 64, depth: 2, num_heads: 4}\n";

} // namespace

class WizardTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_home;
    QString m_root;        // the remote root, on the GPU host (same disk as this namespace)
    QString m_dataset;     // local
    QString m_model;       // local folder
    QString m_trainer;
    int m_dialogsSeen = 0;
    QTimer m_answerer;

    QElapsedTimer m_clock;

    void shot(QWidget *window, const QString &name)
    {
        qInfo("%s after %lld ms", qPrintable(name), m_clock.restart());
        QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
        const QString file = QStringLiteral(RDT_SCREENSHOT_DIR "/wizard-%1.png").arg(name);
        QVERIFY2(window->grab().save(file), qPrintable(file));
        qInfo("screenshot: %s", qPrintable(file));
    }

    // The topology's ssh_config, its known_hosts replaced by `knownHosts` holding the
    // topology's lines that `keep` accepts, the key of lines `swap` accepts replaced by the
    // jump host's key of the same type (a changed key).
    QString writeUserConfig(const QString &name, const std::function<bool(const QByteArray &)> &keep,
                            const std::function<bool(const QByteArray &)> &swap = {})
    {
        const QString knownHosts = m_home.filePath(QStringLiteral(".ssh/known_hosts-") + name);
        QHash<QByteArray, QByteArray> jumpKeys;   // key type -> jump's key
        const QList<QByteArray> lines = readFile(m_topo.knownHostsFile()).split('\n');
        for (const QByteArray &line : lines) {
            const QList<QByteArray> fields = line.split(' ');
            if (fields.size() >= 3 && line.startsWith(m_topo.jumpAddress().toUtf8() + ' '))
                jumpKeys.insert(fields[1], fields[2]);
        }
        QByteArray kept;
        for (const QByteArray &line : lines) {
            const QList<QByteArray> fields = line.split(' ');
            if (fields.size() < 3 || !keep(line))
                continue;
            kept += swap && swap(line) ? fields[0] + ' ' + fields[1] + ' ' + jumpKeys.value(fields[1]) + '\n' : line + '\n';
        }
        writeFile(knownHosts, kept);
        QByteArray config = readFile(m_topo.sshConfigFile());
        config.replace(m_topo.knownHostsFile().toUtf8(), knownHosts.toUtf8());
        const QString file = m_home.filePath(QStringLiteral(".ssh/config-") + name);
        writeFile(file, config);
        return file;
    }

    rdt::HostProfile profile() const
    {
        rdt::HostProfile profile;
        profile.name = QStringLiteral("topology gpu");
        profile.host = QStringLiteral("gpu");
        profile.remoteRoot = m_root;
        profile.localDatasetPath = m_dataset;
        profile.localModelPath = m_model;
        return profile;
    }

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral(".ssh")));
        qputenv("HOME", m_home.path().toUtf8());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.path());
        qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral(".cache")).toUtf8());

        // The GPU host's remote root: its bin/ holds the real trainer; no datasets/,
        // checkpoints/ or configs/ yet, so the check offers to create them.
        m_root = m_home.filePath(QStringLiteral("remote/RoboticsDiffusionTransformer"));
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/bin")));
        m_trainer = programPath("RDT_TEST_TRAINER", RDT_TRAINER_BINARY);
        QVERIFY2(QFileInfo(m_trainer).isExecutable(), qPrintable(QStringLiteral("no rdt-trainer at '%1' (build it)").arg(m_trainer)));
        QVERIFY(QFile::link(m_trainer, m_root + QStringLiteral("/bin/rdt-trainer")));

        // A generated LIBERO dataset, and a small model folder: the tiny RDT after one step.
        QVERIFY(QDir().mkpath(m_home.filePath(QStringLiteral("local"))));
        m_dataset = m_home.filePath(QStringLiteral("local/libero_wizard.hdf5"));
        const QString dataTool = programPath("RDT_TEST_SANDBOX_DATA", RDT_SANDBOX_DATA_BINARY);
        QString problem = runProgram(dataTool, {m_dataset, QStringLiteral("--demos"), QStringLiteral("3")});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QString config = m_home.filePath(QStringLiteral("local/tiny.yaml"));
        QVERIFY(writeFile(config, kTinyConfig));
        const QString modelRun = m_home.filePath(QStringLiteral("local/model-run"));
        problem = runProgram(m_trainer, {QStringLiteral("train"), QStringLiteral("--config"), config, QStringLiteral("--dataset"),
                                         m_dataset, QStringLiteral("--output_dir"), modelRun, QStringLiteral("--max_train_steps"),
                                         QStringLiteral("1"), QStringLiteral("--checkpointing_period"), QStringLiteral("1"),
                                         QStringLiteral("--train_batch_size"), QStringLiteral("2"),
                                         QStringLiteral("--dataloader_num_workers"), QStringLiteral("0"),
                                         QStringLiteral("--lr_warmup_steps"), QStringLiteral("0"),
                                         QStringLiteral("--vision_encoder"), QStringLiteral("patch"),
                                         QStringLiteral("--lang"), QStringLiteral("learned")});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        m_model = m_home.filePath(QStringLiteral("local/rdt-tiny"));
        QVERIFY(QDir().rename(modelRun + QStringLiteral("/checkpoint-1"), m_model));
        QFile::remove(m_model + QStringLiteral("/optimizer.pt"));

        // Host-key dialogs are modal: a timer answers them "Accept once" and counts them.
        connect(&m_answerer, &QTimer::timeout, this, [this] {
            for (QWidget *widget : QApplication::topLevelWidgets()) {
                auto *dialog = qobject_cast<rdt::HostKeyDialog *>(widget);
                if (dialog && dialog->isVisible()) {
                    ++m_dialogsSeen;
                    if (QPushButton *once = buttonNamed(dialog, QStringLiteral("Accept once")))
                        once->click();
                }
            }
        });
        m_answerer.start(50);
    }

    void changedKeyIsRefused()
    {
        m_clock.start();
        // Every key known, but the GPU host's replaced by another: what a reinstalled server
        // or a man in the middle looks like.
        const QByteArray gpu = m_topo.gpuAddress().toUtf8() + ' ';
        const QString config = writeUserConfig(QStringLiteral("changed"), [](const QByteArray &) { return true; },
                                               [gpu](const QByteArray &line) { return line.startsWith(gpu); });
        rdt::MainWindow window;
        rdt::WorkbenchController controller(&window);
        window.show();
        rdt::SetupWizard *wizard = window.setupWizard();
        wizard->useProfile(profile(), config);
        rdt::ConnectionPage *page = wizard->connectionPage();
        const int dialogsBefore = m_dialogsSeen;
        buttonNamed(page, QStringLiteral("Test connection"))->click();

        QLabel *refusal = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((refusal = [&]() -> QLabel * {
                                     for (QLabel *label : page->findChildren<QLabel *>())
                                         if (label->isVisible() && label->text().contains(QLatin1String("has changed")))
                                             return label;
                                     return nullptr;
                                 }()) != nullptr,
                                 20000);
        QVERIFY2(refusal->text().contains(QLatin1String("ssh-keygen -R")), qPrintable(refusal->text()));
        QVERIFY(refusal->text().contains(QLatin1String("man-in-the-middle")));
        QVERIFY(!page->isComplete());
        QCOMPARE(m_dialogsSeen, dialogsBefore);   // a changed key is refused, never asked about
        const QListWidget *steps = page->findChild<QListWidget *>();
        const QString last = steps->item(steps->count() - 1)->text();
        QVERIFY2(last.contains(QLatin1String("hop 2 of 2 (GPU server gpu")) && last.contains(QLatin1String("host key changed")),
                 qPrintable(last));
        // The jump host was passed before the GPU host refused.
        QVERIFY(!steps->findItems(QStringLiteral("jump host"), Qt::MatchContains).isEmpty());
        shot(&window, QStringLiteral("1-connection-changed-key"));
    }

    void wholeFlow()
    {
        // This user has never seen the jump host's key: the dialog asks about it.
        const QByteArray jump = m_topo.jumpAddress().toUtf8() + ' ';
        const QString config = writeUserConfig(QStringLiteral("fresh"),
                                               [jump](const QByteArray &line) { return !line.startsWith(jump); });
        m_clock.start();
        rdt::MainWindow window;
        rdt::WorkbenchController controller(&window);
        window.show();
        QVERIFY(window.isShowingWizard());   // the first thing a user sees
        rdt::SetupWizard *wizard = window.setupWizard();
        QSignalSpy handOver(wizard, &rdt::SetupWizard::runStarted);
        wizard->useProfile(profile(), config);

        // 1. Connection.
        rdt::ConnectionPage *connection = wizard->connectionPage();
        const int dialogsBefore = m_dialogsSeen;
        buttonNamed(connection, QStringLiteral("Test connection"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(connection->isComplete(), 20000);
        QCOMPARE(m_dialogsSeen, dialogsBefore + 1);
        const QListWidget *steps = connection->findChild<QListWidget *>();
        QVERIFY(steps->count() >= 7);   // reaching, reached, key ok, authenticated per hop, then connected
        shot(&window, QStringLiteral("1-connection"));

        // 2. Server check; the remote root has no datasets/ yet: "Fix: create folders".
        wizard->next();
        rdt::ServerCheckPage *check = wizard->serverCheckPage();
        QTRY_VERIFY_WITH_TIMEOUT(check->isComplete(), 60000);
        // The probe's 9 items, then the dataset and the model against the local copies
        // (the statistics item only comes once the dataset is on the server).
        QVERIFY2(check->model()->rowCount() >= 11, qPrintable(QString::number(check->model()->rowCount())));
        QPushButton *fixFolders = buttonNamed(check, QStringLiteral("Fix: create folders"));
        QVERIFY2(fixFolders, "the missing folders offer a Fix");
        QVERIFY(buttonNamed(check, QStringLiteral("Fix: upload dataset")));
        fixFolders->click();
        QTRY_VERIFY_WITH_TIMEOUT(QDir(m_root + QStringLiteral("/datasets")).exists() && check->isComplete(), 60000);
        QVERIFY(!buttonNamed(check, QStringLiteral("Fix: create folders")));
        QCOMPARE(wizard->session()->trainerPath, m_root + QStringLiteral("/bin/rdt-trainer"));
        // The encoder rows: the server has neither a SigLIP folder nor T5 embeddings, and the
        // real trainer read nothing usable, so the run gets no paths from the check.
        bool visionRow = false, languageRow = false;
        for (const rdt::CheckItem &item : wizard->session()->checkItems) {
            if (item.id == rdt::CheckId::VisionEncoder) {
                visionRow = true;
                QVERIFY2(item.status == rdt::CheckStatus::Failed && item.hint.contains(QLatin1String("siglip-so400m-patch14-384")),
                         qPrintable(item.detail + QStringLiteral(" / ") + item.hint));
            }
            if (item.id == rdt::CheckId::LanguageEmbeddings) {
                languageRow = true;
                QVERIFY2(item.status == rdt::CheckStatus::Failed, qPrintable(item.detail));
            }
        }
        QVERIFY(visionRow && languageRow);
        QVERIFY(wizard->session()->visionEncoder.isEmpty() && wizard->session()->langEmbeddings.isEmpty());
        shot(&window, QStringLiteral("2-server-check"));

        // 3. Data and model: everything missing on the server, then uploaded and the same.
        wizard->next();
        rdt::DataModelPage *data = wizard->dataModelPage();
        QTRY_VERIFY_WITH_TIMEOUT(!data->isBusy() && data->model()->rowCount() >= 3, 60000);
        QVERIFY2(data->statisticsText().contains(QLatin1String("Recompute")), qPrintable(data->statisticsText()));
        QSignalSpy uploaded(data, &rdt::DataModelPage::uploadFinished);
        buttonNamed(data, QStringLiteral("Upload what differs"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(uploaded.count(), 1, 120000);
        QVERIFY(uploaded.first().first().toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!data->isBusy(), 60000);
        const QString remoteDataset = m_root + QStringLiteral("/datasets/libero_wizard.hdf5");
        QCOMPARE(md5Of(remoteDataset), md5Of(m_dataset));
        QCOMPARE(md5Of(m_root + QStringLiteral("/checkpoints/rdt-tiny/model.safetensors")),
                 md5Of(m_model + QStringLiteral("/model.safetensors")));
        for (int row = 0; row < data->model()->rowCount(); ++row)
            QCOMPARE(data->model()->index(row, rdt::ComparisonTableModel::StateColumn).data().toString(), QStringLiteral("same"));
        shot(&window, QStringLiteral("3-data-model"));

        // 4. Configuration: the CPU smoke test on the tiny model.
        wizard->next();
        rdt::TrainingConfigPage *training = wizard->trainingPage();
        // Without encoders the page says what is missing instead of launching a run the
        // trainer would refuse; the sandbox preset opts into the stand-ins.
        QVERIFY(!training->isComplete());
        QVERIFY2(training->estimatesText().contains(QLatin1String("no vision encoder")), qPrintable(training->estimatesText()));
        training->applyPreset(QStringLiteral("CPU smoke test (sandbox)"));
        QCOMPARE(training->settings().visionEncoder, QStringLiteral("patch"));
        QCOMPARE(training->settings().lang, QStringLiteral("learned"));
        rdt::TrainingSettings settings = training->settings();
        QCOMPARE(settings.config, m_root + QStringLiteral("/checkpoints/rdt-tiny/config.json"));
        QCOMPARE(settings.dataset, remoteDataset);
        settings.runName = QStringLiteral("wizard-bad");
        settings.dataset = m_root + QStringLiteral("/datasets/no-such.hdf5");
        training->setSettings(settings);
        QVERIFY2(training->estimatesText().contains(QLatin1String("Effective batch size: <b>2</b>")),
                 qPrintable(training->estimatesText()));
        QVERIFY(training->isComplete());
        shot(&window, QStringLiteral("4-training-configuration"));

        // 5. Launch. First a dataset that is not there: the trainer's own error comes back.
        wizard->next();
        rdt::LaunchPage *launch = wizard->launchPage();
        launch->setStartTimeout(60);
        buttonNamed(launch, QStringLiteral("Launch"))->click();
        QTest::qWaitFor([&] { return !launch->failureText().isEmpty() || launch->logText().contains(QLatin1String("wrote no start event")); }, 90000);
        QVERIFY2(!launch->failureText().isEmpty(), qPrintable(launch->logText()));
        QVERIFY2(launch->failureText().contains(QLatin1String("rdt-trainer train")), qPrintable(launch->failureText()));
        QVERIFY2(launch->failureText().contains(QLatin1String("no-such.hdf5")), qPrintable(launch->failureText()));
        QVERIFY(!launch->isComplete());
        QCOMPARE(handOver.count(), 0);
        shot(&window, QStringLiteral("5-launch-failed"));

        // Back to the configuration, the real dataset, launch again: hand-over on `start`.
        wizard->back();
        settings.runName = QStringLiteral("wizard-run");
        settings.dataset = remoteDataset;
        settings.environment = {{"RDT_WIZARD_MARK", "~/wizard-mark"}};
        training->setSettings(settings);
        wizard->next();
        // Two processes on the GPU host's CPU (Gloo): rdt-trainer launch --nproc_per_node 2.
        launch->gpuPicker()->processesBox()->setValue(2);
        QCOMPARE(launch->settings().processes, 2);
        buttonNamed(launch, QStringLiteral("Launch"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(handOver.count() == 1 || !launch->failureText().isEmpty(), 90000);
        QVERIFY2(handOver.count() == 1, qPrintable(launch->logText() + launch->failureText()));
        const auto run = handOver.first().first().value<rdt::LaunchedRun>();
        QCOMPARE(run.name, QStringLiteral("wizard-run"));
        QCOMPARE(run.runFolder, m_root + QStringLiteral("/runs/wizard-run"));
        const QByteArray metrics = readFile(run.runFolder + QStringLiteral("/metrics.jsonl"));
        QVERIFY2(metrics.contains("\"event\":\"start\"") && metrics.contains("\"world_size\":2"), metrics.constData());
        QCOMPARE(readFile(run.runFolder + QStringLiteral("/.rdt/launcher-args")), QByteArray("--nproc_per_node\n2\n--master_port\n0\n"));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(run.runFolder + QStringLiteral("/train.rank1.log")), 30000);
        QVERIFY(launch->isComplete());
        QVERIFY2(launch->logText().contains(QLatin1String("Training started")), qPrintable(launch->logText()));
        // Started by RunLauncher, like `rdtctl run`: resumable, with its environment kept
        // ("~/" made absolute on the server).
        const QByteArray arguments = readFile(run.runFolder + QStringLiteral("/.rdt/trainer-args"));
        QVERIFY2(arguments.contains("--dataset\n" + remoteDataset.toUtf8() + '\n'), arguments.constData());
        QVERIFY2(arguments.contains("--vision_encoder\npatch\n--lang\nlearned\n"), arguments.constData());
        const QByteArray environment = readFile(run.runFolder + QStringLiteral("/.rdt/trainer-env"));
        QVERIFY2(environment.startsWith("RDT_WIZARD_MARK=/") && environment.endsWith("/wizard-mark\n"), environment.constData());
        shot(&window, QStringLiteral("5-launch"));
    }

    // The trainer row's fixes: a trainer of another version offers "update", none offers
    // "install"; the fix runs the deployer with its progress in the status line, and the
    // page's Cancel stops it (the real build is sshd_deploy's; here no build runs).
    void trainerFixesStartAndCancelTheDeploy()
    {
        const QString root = m_home.filePath(QStringLiteral("fix-root"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/bin")));
        QVERIFY(writeFile(root + QStringLiteral("/bin/rdt-trainer"), "#!/bin/sh\necho '{\"version\":\"0.0.1\"}'\n"));
        QVERIFY(QFile::setPermissions(root + QStringLiteral("/bin/rdt-trainer"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const QString config = writeUserConfig(QStringLiteral("trainer-fix"), [](const QByteArray &) { return true; });
        rdt::MainWindow window;
        rdt::WorkbenchController controller(&window);
        window.show();
        rdt::SetupWizard *wizard = window.setupWizard();
        rdt::HostProfile fixProfile = profile();
        fixProfile.remoteRoot = root;
        wizard->useProfile(fixProfile, config);
        buttonNamed(wizard->connectionPage(), QStringLiteral("Test connection"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(wizard->connectionPage()->isComplete(), 20000);
        wizard->next();
        rdt::ServerCheckPage *check = wizard->serverCheckPage();
        QTRY_VERIFY_WITH_TIMEOUT(check->isComplete(), 60000);
        QVERIFY(!buttonNamed(check, QStringLiteral("Fix: install trainer")));
        QPushButton *update = buttonNamed(check, QStringLiteral("Fix: update trainer"));
        QVERIFY2(update, "a trainer of another version offers an update");

        const QLabel *status = nullptr;
        for (const QLabel *label : check->findChildren<QLabel *>()) {
            if (label->wordWrap())
                status = label;
        }
        QVERIFY(status);
        update->click();
        QVERIFY(!check->isComplete());
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("Trainer: ")), 10000);
        buttonNamed(check, QStringLiteral("Cancel"))->click();
        QCOMPARE(status->text(), QStringLiteral("Trainer installation cancelled"));
        QTRY_VERIFY_WITH_TIMEOUT(check->isComplete(), 5000);
        QVERIFY(!QFileInfo::exists(root + QStringLiteral("/bin/.rdt-trainer.new")));

        QVERIFY(QFile::remove(root + QStringLiteral("/bin/rdt-trainer")));
        buttonNamed(check, QStringLiteral("Check again"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(check->isComplete(), 60000);
        QVERIFY2(buttonNamed(check, QStringLiteral("Fix: install trainer")), "no trainer offers an install");
        shot(&window, QStringLiteral("2-server-check-install-trainer"));

        // The profile's LibTorch folder (the connection page's "LibTorch on server") is the
        // one the install uses: a folder without LibTorch fails at once, naming it.
        const QString noLibtorch = root + QStringLiteral("/not-libtorch");
        QVERIFY(QDir().mkpath(noLibtorch));
        wizard->session()->profile.libtorchFolder = noLibtorch;
        buttonNamed(check, QStringLiteral("Fix: install trainer"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("Installing the trainer failed: ")), 30000);
        QVERIFY2(status->text().contains(QStringLiteral("no LibTorch in ") + noLibtorch), qPrintable(status->text()));
        QVERIFY(!QFileInfo::exists(root + QStringLiteral("/bin/rdt-trainer")));
    }

    // "Try it in a local sandbox": two sshd's on loopback, a dataset and a model made on the
    // spot, the wizard filled in and connected through the sandbox's jump host, the check
    // run against it; the servers and the folder go with the workbench.
    void sandboxFromTheFirstPage()
    {
        // The workbench finds its helpers beside itself or on PATH: here, on PATH.
        const QString bin = m_home.filePath(QStringLiteral("sandbox-bin"));
        QVERIFY(QDir().mkpath(bin));
        QVERIFY(QFile::link(m_trainer, bin + QStringLiteral("/rdt-trainer")));
        QVERIFY(QFile::link(programPath("RDT_TEST_SANDBOX_DATA", RDT_SANDBOX_DATA_BINARY), bin + QStringLiteral("/rdt-sandbox-data")));
        qputenv("PATH", bin.toUtf8() + ':' + qgetenv("PATH"));

        QString folder;
        int jumpPort = 0;
        {
            rdt::MainWindow window;
            rdt::WorkbenchController controller(&window);
            window.show();
            rdt::SetupWizard *wizard = window.setupWizard();
            rdt::ConnectionPage *connection = wizard->connectionPage();
            buttonNamed(connection, QStringLiteral("Try it in a local sandbox"))->click();
            QTRY_VERIFY_WITH_TIMEOUT(connection->isComplete(), 120000);
            QVERIFY(controller.sandbox() && controller.sandbox()->isReady());
            folder = controller.sandbox()->folder();
            jumpPort = controller.sandbox()->jumpPort();
            const QListWidget *steps = connection->findChild<QListWidget *>();
            QVERIFY(!steps->findItems(QStringLiteral("jump host sandbox-jump"), Qt::MatchContains).isEmpty());
            shot(&window, QStringLiteral("sandbox-1-connection"));

            wizard->next();
            rdt::ServerCheckPage *check = wizard->serverCheckPage();
            QTRY_VERIFY_WITH_TIMEOUT(check->isComplete(), 60000);
            const QList<rdt::CheckItem> items = wizard->session()->checkItems;
            const auto trainer = std::find_if(items.begin(), items.end(),
                                              [](const rdt::CheckItem &item) { return item.id == rdt::CheckId::Trainer; });
            QVERIFY(trainer != items.end());
            QVERIFY2(trainer->status == rdt::CheckStatus::Ok, qPrintable(trainer->detail));
            QVERIFY(buttonNamed(check, QStringLiteral("Fix: create folders")));
            QVERIFY(QFileInfo(controller.sandbox()->localModel() + QStringLiteral("/model.safetensors")).isFile());
            QVERIFY(QFileInfo(controller.sandbox()->localDataset()).size() > 0);
            shot(&window, QStringLiteral("sandbox-2-server-check"));
        }
        // The workbench is gone: so are its servers and the sandbox's folder.
        QVERIFY(!QFileInfo::exists(folder));
        QVERIFY(jumpPort > 0);
        QVERIFY2(!isListening(jumpPort), "the sandbox's jump host still listens after the workbench went");
    }
};

QTEST_MAIN(WizardTest)
#include "sshd_gui_wizard.moc"
