// Runs on the real jump topology with the real rdt-trainer (a tiny CPU model on a generated
// LIBERO HDF5 file): launch detached, follow metrics.jsonl while the jump host dies and
// comes back, and check that the followed steps equal the file's with no gap and no
// duplicate; stop, list runs, list and download checkpoints, resume; a launch that fails
// says why; the GPU monitor with and without nvidia-smi; and the same through rdtctl. The
// GPU host is a network namespace of this machine, so the test writes its inputs and reads
// the run folder locally: what it checks is what the server holds.
#include "CheckpointList.h"
#include "GpuMonitor.h"
#include "MetricsFollower.h"
#include "RunLauncher.h"
#include "RunList.h"
#include "RunStopper.h"
#include "support_files.h"
#include "support_rdtctl.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <hdf5.h>

#include <cmath>
#include <functional>

using namespace rdt;

namespace {

constexpr int kImageSide = 8;   // 2 x 2 patches of 4 x 4: img_num_patches 4

// The tiny model of the trainer tests, in RDT's base.yaml schema (missing keys: RDT's defaults).
constexpr char kTinyConfig[] = R"(common:
  img_history_size: 2
  action_chunk_size: 64
  num_cameras: 3
  state_dim: 128
dataset:
  tokenizer_max_length: 16
model:
  lang_token_dim: 32
  img_token_dim: 24
  state_token_dim: 128
  img_num_patches: 4
  rdt:
    hidden_size: 64
    depth: 2
    num_heads: 4
)";

// One float64 (rows x columns) dataset whose values are a smooth function of the indices.
bool writeDoubles(hid_t group, const char *name, int rows, int columns, double scale)
{
    std::vector<double> values(size_t(rows) * columns);
    for (int t = 0; t < rows; ++t)
        for (int c = 0; c < columns; ++c)
            values[size_t(t) * columns + c] = c == 6 && columns == 7 ? ((t / 3) % 2 ? 1.0 : -1.0)
                                                                     : scale * std::sin(0.1 * t + 0.7 * c);
    const hsize_t dims[2] = {hsize_t(rows), hsize_t(columns)};
    const hid_t space = H5Screate_simple(2, dims, nullptr);
    const hid_t dataset = H5Dcreate2(group, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const bool ok = dataset >= 0 && H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0;
    H5Dclose(dataset);
    H5Sclose(space);
    return ok;
}

bool writeImages(hid_t group, const char *name, int frames)
{
    std::vector<unsigned char> pixels(size_t(frames) * kImageSide * kImageSide * 3);
    for (size_t i = 0; i < pixels.size(); ++i)
        pixels[i] = static_cast<unsigned char>((i * 7) % 251);
    const hsize_t dims[4] = {hsize_t(frames), kImageSide, kImageSide, 3};
    const hid_t space = H5Screate_simple(4, dims, nullptr);
    const hid_t dataset = H5Dcreate2(group, name, H5T_STD_U8LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const bool ok = dataset >= 0 && H5Dwrite(dataset, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, pixels.data()) >= 0;
    H5Dclose(dataset);
    H5Sclose(space);
    return ok;
}

// LIBERO's layout as robomimic writes it: data/demo_N/{actions, obs/...} and the
// problem_info attribute (a variable-length UTF-8 string, as h5py stores a str).
bool writeLiberoFile(const QString &path, const QList<int> &demoSteps)
{
    const hid_t file = H5Fcreate(QFile::encodeName(path).constData(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file < 0)
        return false;
    bool ok = true;
    const hid_t data = H5Gcreate2(file, "data", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const char *info = "{\"problem_name\": \"libero_tabletop_manipulation\", \"domain_name\": \"kitchen\", "
                       "\"language_instruction\": \"put the black bowl on the plate\"}";
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    const hid_t scalar = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate2(data, "problem_info", type, scalar, H5P_DEFAULT, H5P_DEFAULT);
    ok = ok && H5Awrite(attribute, type, &info) >= 0;
    H5Aclose(attribute);
    H5Sclose(scalar);
    H5Tclose(type);
    for (int demo = 0; demo < demoSteps.size(); ++demo) {
        const int steps = demoSteps[demo];
        const hid_t group = H5Gcreate2(data, qPrintable(QStringLiteral("demo_%1").arg(demo)), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        const hid_t obs = H5Gcreate2(group, "obs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        ok = ok && writeDoubles(group, "actions", steps, 7, 1.0) && writeDoubles(obs, "joint_states", steps, 7, 0.5)
             && writeDoubles(obs, "gripper_states", steps, 2, 0.02) && writeDoubles(obs, "ee_pos", steps, 3, 0.3)
             && writeDoubles(obs, "ee_ori", steps, 3, 0.4) && writeDoubles(obs, "ee_states", steps, 6, 0.3)
             && writeImages(obs, "agentview_rgb", steps) && writeImages(obs, "eye_in_hand_rgb", steps);
        H5Gclose(obs);
        H5Gclose(group);
    }
    H5Gclose(data);
    return H5Fclose(file) >= 0 && ok;
}

// Waits, running the event loop, until `done` or `ms` passed.
bool waitUntil(const std::function<bool()> &done, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > ms)
            return false;
        QTest::qWait(50);
    }
    return true;
}

// The step numbers of the complete step lines in a local metrics.jsonl.
QList<qint64> stepsInFile(const QString &path)
{
    QFile file(path);
    QList<qint64> steps;
    if (!file.open(QIODevice::ReadOnly))
        return steps;
    const QByteArray bytes = file.readAll();
    const QByteArray complete = bytes.left(bytes.lastIndexOf('\n') + 1);
    for (const QByteArray &line : complete.split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (!object.contains(QLatin1String("event")) && object.contains(QLatin1String("loss")))
            steps.append(qint64(object.value(QLatin1String("step")).toDouble()));
    }
    return steps;
}

QList<qint64> stepsOf(const MetricsEventList &events)
{
    QList<qint64> steps;
    for (const MetricsEvent &event : events) {
        if (event.kind == MetricsEvent::Kind::Step)
            steps.append(event.step);
    }
    return steps;
}

QString describeSteps(const QList<qint64> &steps)
{
    QStringList parts;
    for (qint64 step : steps.mid(0, 5))
        parts.append(QString::number(step));
    return QStringLiteral("%1 steps: %2 ... %3").arg(steps.size()).arg(parts.join(QLatin1Char(',')))
        .arg(steps.isEmpty() ? -1 : steps.last());
}

const RunInfo *findRun(const QList<RunInfo> &runs, const QString &name)
{
    for (const RunInfo &run : runs) {
        if (run.name == name)
            return &run;
    }
    return nullptr;
}

} // namespace

class RunsTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_work;
    QString m_root;      // the remote root: the same path on the GPU host
    QString m_dataset;
    QString m_config;
    QTemporaryDir m_home;

    std::unique_ptr<SshClient> connectGpu()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        if (!c.client)
            qWarning("connect: %s", qPrintable(c.error.message));
        return std::move(c.client);
    }

    QStringList trainerFlags(int maxSteps, int checkpointingPeriod) const
    {
        return {QStringLiteral("--config"), m_config, QStringLiteral("--dataset"), m_dataset,
                QStringLiteral("--max_train_steps"), QString::number(maxSteps), QStringLiteral("--train_batch_size"),
                QStringLiteral("2"), QStringLiteral("--checkpointing_period"), QString::number(checkpointingPeriod),
                QStringLiteral("--checkpoints_total_limit"), QStringLiteral("2"), QStringLiteral("--dataloader_num_workers"),
                QStringLiteral("0"), QStringLiteral("--lr_warmup_steps"), QStringLiteral("0"),
                // The tiny model's stand-in encoders, opted into (it has no SigLIP or T5 shapes).
                QStringLiteral("--vision_encoder"), QStringLiteral("patch"), QStringLiteral("--lang"), QStringLiteral("learned")};
    }

    LaunchRequest request(const QString &name, const QStringList &flags) const
    {
        LaunchRequest r;
        r.remoteRoot = m_root;
        r.runName = name;
        r.trainer = QStringLiteral(RDT_TRAINER_BINARY);
        r.trainerArguments = flags;
        r.startTimeoutSeconds = 120;
        return r;
    }

    QList<RunInfo> listRuns(SshClient &client)
    {
        RunList list(&client);
        QSignalSpy done(&list, &RunList::finished);
        list.refresh(m_root);
        if (!done.wait(60000))
            qWarning("run list: no answer");
        if (list.error().code != ErrorCode::None)
            qWarning("run list: %s", qPrintable(list.error().message));
        return list.runs();
    }

    CliRun rdtctl(const QStringList &arguments, int waitMs = 180000)
    {
        return runRdtctl(QStringList{QStringLiteral("-F"), m_topo.sshConfigFile()} + arguments, m_home.path(), waitMs);
    }

    QString runFolder(const QString &name) const { return m_root + QStringLiteral("/runs/") + name; }

private Q_SLOTS:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_work.isValid());
        m_root = QDir(m_work.path()).canonicalPath() + QStringLiteral("/root");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/datasets")));
        m_dataset = m_root + QStringLiteral("/datasets/libero_tiny.hdf5");
        QVERIFY(writeLiberoFile(m_dataset, {30, 45, 20}));
        m_config = m_root + QStringLiteral("/tiny.yaml");
        QFile config(m_config);
        QVERIFY(config.open(QIODevice::WriteOnly) && config.write(kTinyConfig) > 0);
        config.close();
        QVERIFY2(QFile::exists(QStringLiteral(RDT_TRAINER_BINARY)), RDT_TRAINER_BINARY " is not built");
    }

    // Bad input is refused before anything runs; a trainer that dies before its start
    // event comes back with its own error line.
    void launchFailuresSayWhy()
    {
        std::unique_ptr<SshClient> client = connectGpu();
        QVERIFY(client);
        RunLauncher launcher(client.get());
        QSignalSpy done(&launcher, &RunLauncher::finished);

        launcher.start(request(QStringLiteral("../escape"), trainerFlags(10, 10)));
        QVERIFY(done.wait(5000));
        QCOMPARE(launcher.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(launcher.error().message.contains(QLatin1String("run name")), qPrintable(launcher.error().message));

        LaunchRequest missingTrainer = request(QStringLiteral("no-trainer"), trainerFlags(10, 10));
        missingTrainer.trainer = QStringLiteral("/nonexistent/rdt-trainer");
        launcher.start(missingTrainer);
        QVERIFY(done.wait(30000));
        QVERIFY2(launcher.error().message.contains(QLatin1String("/nonexistent/rdt-trainer is not on the server")),
                 qPrintable(launcher.error().message));

        QStringList badDataset = trainerFlags(10, 10);
        badDataset[3] = m_root + QStringLiteral("/datasets/absent.hdf5");
        launcher.start(request(QStringLiteral("bad-dataset"), badDataset));
        QVERIFY(done.wait(120000));
        QCOMPARE(launcher.error().code, ErrorCode::RemoteFailed);
        QVERIFY2(launcher.error().message.contains(QLatin1String("exited with status 1")), qPrintable(launcher.error().message));
        QVERIFY2(launcher.error().message.contains(QLatin1String("rdt-trainer train:"))
                     && launcher.error().message.contains(QLatin1String("absent.hdf5")),
                 qPrintable(launcher.error().message));
        const RunInfo *failed = findRun(listRuns(*client), QStringLiteral("bad-dataset"));
        QVERIFY(failed);
        QCOMPARE(failed->state, RunState::Failed);
        QVERIFY2(failed->detail.contains(QLatin1String("absent.hdf5")), qPrintable(failed->detail));
    }

    // The heart of the dashboard's back end: follow, lose the jump host, reattach.
    void followSurvivesALostJumpHostWithoutGapOrDuplicate()
    {
        std::unique_ptr<SshClient> client = connectGpu();
        QVERIFY(client);
        RunLauncher launcher(client.get());
        QSignalSpy launched(&launcher, &RunLauncher::finished);
        launcher.start(request(QStringLiteral("live"), trainerFlags(100000, 10)));
        QVERIFY(launched.wait(150000));
        QVERIFY2(launcher.error().code == ErrorCode::None, qPrintable(launcher.error().message));
        QVERIFY(launcher.outcome().pid > 0);
        QCOMPARE(launcher.outcome().folder, runFolder(QStringLiteral("live")));
        const QString metrics = runFolder(QStringLiteral("live")) + QStringLiteral("/metrics.jsonl");

        MetricsFollower follower;
        MetricsEventList followed;
        int restarts = 0;
        connect(&follower, &MetricsFollower::eventsArrived, this, [&](const MetricsEventList &events) { followed += events; });
        connect(&follower, &MetricsFollower::restarted, this, [&] { ++restarts; });
        QSignalSpy backfilled(&follower, &MetricsFollower::backfilled);
        QSignalSpy interrupted(&follower, &MetricsFollower::interrupted);
        follower.start(client.get(), MetricsFollower::metricsPath(m_root, QStringLiteral("live")));
        QVERIFY2(waitUntil([&] { return backfilled.size() == 1; }, 30000), "no backfill");
        QVERIFY(!followed.isEmpty());
        QCOMPARE(followed.first().kind, MetricsEvent::Kind::Start);
        QCOMPARE(followed.first().maxTrainSteps, 100000);
        QVERIFY2(waitUntil([&] { return stepsOf(followed).size() >= 5; }, 60000),
                 qPrintable(describeSteps(stepsOf(followed))));

        // While it runs, the list says so.
        const RunInfo *running = findRun(listRuns(*client), QStringLiteral("live"));
        QVERIFY(running);
        QCOMPARE(running->state, RunState::Running);
        QCOMPARE(running->pid, launcher.outcome().pid);
        QCOMPARE(running->maxSteps, 100000);
        QVERIFY(running->step >= 5);
        QVERIFY(std::isfinite(running->lastLoss));
        QVERIFY(running->startTime.isValid());

        // The jump host dies (every process: the connection goes with it).
        QString error;
        QVERIFY2(m_topo.control(QStringLiteral("kill"), QStringLiteral("jump"), &error), qPrintable(error));
        QVERIFY2(interrupted.wait(30000), "the follower must report the lost connection");
        const Error lost = interrupted.first().first().value<Error>();
        QVERIFY2(lost.message.contains(QLatin1String("metrics.jsonl")), qPrintable(lost.message));
        const qsizetype stepsBeforeLoss = stepsOf(followed).size();
        qInfo("launched with %s; %lld steps followed, then: %s", qPrintable(launcher.outcome().method),
              qlonglong(stepsBeforeLoss), qPrintable(lost.message));
        QTest::qWait(2000);   // the trainer keeps writing meanwhile
        QVERIFY2(m_topo.control(QStringLiteral("start"), QStringLiteral("jump"), &error), qPrintable(error));

        std::unique_ptr<SshClient> again = connectGpu();
        QVERIFY(again);
        follower.resume(again.get());
        QVERIFY2(waitUntil([&] { return stepsOf(followed).size() >= stepsBeforeLoss + 20; }, 60000),
                 qPrintable(describeSteps(stepsOf(followed))));

        // Stop: SIGINT reaches the trainer; the run reads "stopped".
        RunStopper stopper(again.get());
        QSignalSpy stopped(&stopper, &RunStopper::finished);
        stopper.stop(m_root, QStringLiteral("live"), 20);
        QVERIFY(stopped.wait(60000));
        QVERIFY2(stopper.error().code == ErrorCode::None, qPrintable(stopper.error().message));
        QVERIFY(stopper.outcome().wasRunning);
        QCOMPARE(stopper.outcome().pid, launcher.outcome().pid);
        QVERIFY(!stopper.outcome().terminated);                  // SIGINT was enough
        QCOMPARE(stopper.outcome().exitStatus, QStringLiteral("130"));   // and it was what ended it

        // Everything the file holds arrives, once, in order.
        const qint64 size = QFileInfo(metrics).size();
        QVERIFY2(waitUntil([&] { return follower.completeOffset() == size; }, 10000),
                 qPrintable(QStringLiteral("followed to %1 of %2 bytes").arg(follower.completeOffset()).arg(size)));
        const QList<qint64> fileSteps = stepsInFile(metrics);
        const QList<qint64> followedSteps = stepsOf(followed);
        QCOMPARE(followedSteps, fileSteps);
        for (qsizetype i = 0; i < followedSteps.size(); ++i)
            QCOMPARE(followedSteps[i], qint64(i + 1));
        qInfo("after reattaching: %s, the same as metrics.jsonl", qPrintable(describeSteps(followedSteps)));
        QCOMPARE(restarts, 0);
        QCOMPARE(follower.parser().garbageLines(), 0);
        follower.stop();

        const QList<RunInfo> runs = listRuns(*again);
        const RunInfo *live = findRun(runs, QStringLiteral("live"));
        QVERIFY(live);
        QCOMPARE(live->state, RunState::Stopped);
        QCOMPARE(live->step, fileSteps.last());
        QCOMPARE(live->pid, 0);

        // Checkpoints every 10 steps and one of the step the stop ended on (the trainer's
        // graceful stop), at most 2 kept.
        CheckpointList checkpoints(again.get());
        QSignalSpy listed(&checkpoints, &CheckpointList::finished);
        checkpoints.refresh(m_root, QStringLiteral("live"));
        QVERIFY(listed.wait(30000));
        QVERIFY2(checkpoints.error().code == ErrorCode::None, qPrintable(checkpoints.error().message));
        QVERIFY(!checkpoints.checkpoints().isEmpty() && checkpoints.checkpoints().size() <= 2);
        QCOMPARE(checkpoints.checkpoints().last().step, fileSteps.last());
        for (const CheckpointInfo &checkpoint : checkpoints.checkpoints()) {
            QVERIFY2(checkpoint.step % 10 == 0 || checkpoint.step == fileSteps.last(), qPrintable(checkpoint.name));
            QVERIFY(QFileInfo::exists(checkpoint.folder + QStringLiteral("/model.safetensors")));
            QVERIFY(checkpoint.bytes > 0);
            QVERIFY(checkpoint.modified.isValid());
        }

        // Download the latest with the checksum-verified folder sync; every file's MD5 matches.
        const CheckpointInfo &newest = checkpoints.checkpoints().last();
        const QString download = m_work.path() + QStringLiteral("/download/") + newest.name;
        const CliRun pull = rdtctl({QStringLiteral("pull"), QStringLiteral("gpu:") + newest.folder, download});
        QVERIFY2(pull.exitCode == 0, pull.err.constData());
        const QMap<QString, QByteArray> remoteDigests = md5Tree(newest.folder);
        QVERIFY(remoteDigests.contains(QStringLiteral("model.safetensors")));
        QCOMPARE(md5Tree(download), remoteDigests);

        // Resume: the same arguments plus --resume_from_checkpoint latest; a new start event
        // at the latest checkpoint's step.
        const qint64 latest = checkpoints.checkpoints().last().step;
        RunLauncher relauncher(again.get());
        QSignalSpy relaunched(&relauncher, &RunLauncher::finished);
        relauncher.resume(request(QStringLiteral("live"), {}));
        QVERIFY(relaunched.wait(150000));
        QVERIFY2(relauncher.error().code == ErrorCode::None, qPrintable(relauncher.error().message));
        MetricsFollower resumed;
        MetricsEventList starts;
        connect(&resumed, &MetricsFollower::eventsArrived, this, [&](const MetricsEventList &events) {
            for (const MetricsEvent &event : events) {
                if (event.kind == MetricsEvent::Kind::Start)
                    starts.append(event);
            }
        });
        resumed.start(again.get(), MetricsFollower::metricsPath(m_root, QStringLiteral("live")));
        QVERIFY(waitUntil([&] { return starts.size() == 2; }, 30000));
        QCOMPARE(starts.last().step, latest);
        QVERIFY2(starts.last().resumedFrom.endsWith(QStringLiteral("checkpoint-%1").arg(latest)), qPrintable(starts.last().resumedFrom));
        stopper.stop(m_root, QStringLiteral("live"), 20);
        QVERIFY(stopped.wait(60000));
        QVERIFY2(stopper.error().code == ErrorCode::None, qPrintable(stopper.error().message));
    }

    // A run folder made by hand (no pid file, no launcher notes) is listed from its metrics.
    void runsStartedByHandAreListed()
    {
        const QString folder = runFolder(QStringLiteral("by-hand"));
        QVERIFY(QDir().mkpath(folder));
        QFile file(folder + QStringLiteral("/metrics.jsonl"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"event\":\"start\",\"version\":\"x\",\"world_size\":1,\"step\":0,\"config\":{\"train\":{\"max_train_steps\":3}},\"time\":1700000000}\n"
                   "{\"step\":1,\"loss\":0.9,\"time\":1700000001}\n{\"step\":2,\"loss\":0.8,\"time\":1700000002}\n"
                   "{\"step\":3,\"loss\":0.7,\"time\":1700000003}\n{\"event\":\"done\",\"step\":3,\"time\":1700000004}\n"
                   "{\"step\":4,\"lo");   // a torn line after done: never read
        file.close();
        std::unique_ptr<SshClient> client = connectGpu();
        QVERIFY(client);
        const RunInfo *run = findRun(listRuns(*client), QStringLiteral("by-hand"));
        QVERIFY(run);
        QCOMPARE(run->state, RunState::Finished);
        QCOMPARE(run->step, 3);
        QCOMPARE(run->maxSteps, 3);
        QCOMPARE(run->lastLoss, 0.7);
        QCOMPARE(run->startTime, QDateTime::fromSecsSinceEpoch(1700000000));
    }

    void gpuMonitorWithAndWithoutNvidiaSmi()
    {
        std::unique_ptr<SshClient> client = connectGpu();
        QVERIFY(client);
        {
            GpuMonitor monitor(client.get());
            QSignalSpy unavailable(&monitor, &GpuMonitor::unavailable);
            monitor.start(1);
            QVERIFY(unavailable.wait(10000));
            QVERIFY2(unavailable.first().first().toString().contains(QLatin1String("nvidia-smi not found")),
                     qPrintable(unavailable.first().first().toString()));
        }
        // A stand-in that honours -l like nvidia-smi: two GPUs per sample.
        QString error;
        QVERIFY2(m_topo.installGpuTool(QStringLiteral("nvidia-smi"),
                                       "#!/bin/sh\nn=0\nwhile :; do n=$((n + 1))\n"
                                       "echo \"0, NVIDIA A800-SXM4-80GB, 81920, $((1000 * n)), 97, 61\"\n"
                                       "echo \"1, NVIDIA A800-SXM4-80GB, 81920, 5, 0, 35\"\nsleep 1; done\n",
                                       &error),
                 qPrintable(error));
        GpuMonitor monitor(client.get());
        QList<QList<GpuInfo>> samples;
        connect(&monitor, &GpuMonitor::sampled, this, [&](const QList<GpuInfo> &gpus) { samples.append(gpus); });
        monitor.start(1);
        QVERIFY(waitUntil([&] { return samples.size() >= 3; }, 15000));
        for (const QList<GpuInfo> &sample : samples)
            QCOMPARE(sample.size(), 2);
        QCOMPARE(samples[0][0].memoryUsedMiB.value_or(-1), 1000);
        QCOMPARE(samples[1][0].memoryUsedMiB.value_or(-1), 2000);
        QCOMPARE(samples[0][0].utilizationPercent.value_or(-1), 97);
        QCOMPARE(samples[0][1].temperatureCelsius.value_or(-1), 35);
        monitor.stop();
        QFile::remove(m_topo.gpuBinDir() + QStringLiteral("/nvidia-smi"));
    }

    // The same operations as a user types them.
    void rdtctlRunRunsTailStop()
    {
        const QString trainer = QStringLiteral(RDT_TRAINER_BINARY);
        // Without tmux this time: setsid nohup.
        CliRun run = rdtctl(QStringList{QStringLiteral("run"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root,
                                        QStringLiteral("--name"), QStringLiteral("cli"), QStringLiteral("--trainer"), trainer,
                                        QStringLiteral("--no-tmux"), QStringLiteral("--")} + trainerFlags(100000, 1000));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.startsWith("started run cli: trainer pid ") && run.out.contains("detached (setsid nohup)"),
                 run.out.constData());

        // The same name again is refused, with the reason.
        run = rdtctl(QStringList{QStringLiteral("run"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root,
                                 QStringLiteral("--name"), QStringLiteral("cli"), QStringLiteral("--trainer"), trainer,
                                 QStringLiteral("--")} + trainerFlags(10, 10));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("already running"), run.err.constData());

        const QString metrics = runFolder(QStringLiteral("cli")) + QStringLiteral("/metrics.jsonl");
        QVERIFY(waitUntil([&] { return stepsInFile(metrics).size() >= 6; }, 60000));
        run = rdtctl({QStringLiteral("tail"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root, QStringLiteral("cli"),
                      QStringLiteral("--metrics"), QStringLiteral("-n"), QStringLiteral("3")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QList<QByteArray> lines = run.out.split('\n');
        QVERIFY2(lines.size() >= 3 && lines.size() <= 4 && lines.last().isEmpty(), run.out.constData());
        QFile file(metrics);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        for (const QByteArray &line : lines) {
            if (!line.isEmpty())
                QVERIFY2(content.contains(line + '\n'), line.constData());
        }

        run = rdtctl({QStringLiteral("runs"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root, QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray runs = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("runs")).toArray();
        QJsonObject cli;
        for (const QJsonValue &value : runs) {
            if (value.toObject().value(QStringLiteral("name")).toString() == QLatin1String("cli"))
                cli = value.toObject();
        }
        QCOMPARE(cli.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        QCOMPARE(cli.value(QStringLiteral("max_steps")).toInt(), 100000);

        run = rdtctl({QStringLiteral("stop"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root, QStringLiteral("cli")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.startsWith("stopped run cli (pid "), run.out.constData());
        run = rdtctl({QStringLiteral("stop"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root, QStringLiteral("cli")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray("run cli is not running\n"));

        run = rdtctl({QStringLiteral("runs"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("\ncli ") && run.out.contains(" stopped "), run.out.constData());

        run = rdtctl({QStringLiteral("tail"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root, QStringLiteral("nothing-here")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("no such file"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(RunsTest)
#include "sshd_runs.moc"
