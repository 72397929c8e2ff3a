// A data-parallel run launched the way the wizard launches one, on the GPU host behind the
// jump host: `rdt-trainer launch --nproc_per_node 2 -- train` with 2 CPU processes on Gloo,
// detached; its start event says world size 2; stopped and resumed it launches 2 processes
// again from its checkpoint; a worker killed on the server is named by the rank errors the
// dashboard shows, within seconds.
#include "RankErrors.h"
#include "RunLauncher.h"
#include "RunStopper.h"
#include "Sandbox.h"
#include "support_files.h"
#include "support_ssh_session.h"
#include "support_topology.h"

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

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QList<QJsonObject> events(const QString &metrics, const QString &kind)
{
    QList<QJsonObject> found;
    for (const QByteArray &line : readAll(metrics).split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.value(QStringLiteral("event")).toString() == kind)
            found << object;
    }
    return found;
}

// The worker of `rank` under the launcher: a child whose environment has RANK=rank.
qint64 workerOfRank(qint64 launcher, int rank)
{
    QProcess pgrep;
    pgrep.start(QStringLiteral("pgrep"), {QStringLiteral("-P"), QString::number(launcher)});
    pgrep.waitForFinished(5000);
    for (const QByteArray &pid : pgrep.readAllStandardOutput().split('\n')) {
        if (pid.trimmed().isEmpty())
            continue;
        if (readAll(QStringLiteral("/proc/%1/environ").arg(QString::fromLatin1(pid.trimmed())))
                .split('\0').contains("RANK=" + QByteArray::number(rank)))
            return pid.trimmed().toLongLong();
    }
    return 0;
}

} // namespace

class DistRunsTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_work;
    QString m_root;
    QString m_dataset;
    QString m_config;
    std::unique_ptr<SshClient> m_client;

    LaunchRequest request(const QString &name) const
    {
        LaunchRequest r;
        r.remoteRoot = m_root;
        r.runName = name;
        r.trainer = QStringLiteral(RDT_TRAINER_BINARY);
        r.trainerArguments = {QStringLiteral("--config"), m_config, QStringLiteral("--dataset"), m_dataset,
                              QStringLiteral("--max_train_steps"), QStringLiteral("100000"),
                              QStringLiteral("--train_batch_size"), QStringLiteral("2"),
                              QStringLiteral("--checkpointing_period"), QStringLiteral("4"),
                              QStringLiteral("--checkpoints_total_limit"), QStringLiteral("2"),
                              QStringLiteral("--dataloader_num_workers"), QStringLiteral("0"),
                              QStringLiteral("--lr_warmup_steps"), QStringLiteral("0"), QStringLiteral("--device"),
                              QStringLiteral("cpu"), QStringLiteral("--vision_encoder"), QStringLiteral("patch"),
                              QStringLiteral("--lang"), QStringLiteral("learned")};
        r.launcherArguments = {QStringLiteral("--nproc_per_node"), QStringLiteral("2"), QStringLiteral("--master_port"),
                               QStringLiteral("0")};
        r.environment = {{QByteArrayLiteral("OMP_NUM_THREADS"), QByteArrayLiteral("1")}};
        r.startTimeoutSeconds = 120;
        return r;
    }

    LaunchOutcome launch(const LaunchRequest &r, bool resume)
    {
        RunLauncher launcher(m_client.get());
        QSignalSpy done(&launcher, &RunLauncher::finished);
        resume ? launcher.resume(r) : launcher.start(r);
        if (!done.wait(180000))
            qWarning("launch: no answer");
        if (launcher.error().code != ErrorCode::None)
            qWarning("launch: %s", qPrintable(launcher.error().message));
        return launcher.outcome();
    }

    QString folder(const QString &name) const { return m_root + QStringLiteral("/runs/") + name; }

private Q_SLOTS:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_work.isValid());
        m_root = QDir(m_work.path()).canonicalPath() + QStringLiteral("/root");
        m_dataset = m_root + QStringLiteral("/datasets/libero_sandbox.hdf5");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/datasets")));
        QProcess data;
        data.start(QStringLiteral(RDT_SANDBOX_DATA_BINARY), {m_dataset, QStringLiteral("--demos"), QStringLiteral("4")});
        QVERIFY(data.waitForFinished(60000) && data.exitCode() == 0);
        m_config = m_root + QStringLiteral("/tiny.yaml");
        QVERIFY(writeFile(m_config, Sandbox::tinyModelConfig()));
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(c.error.message));
        m_client = std::move(c.client);
    }

    void twoProcessesStartStopAndResumeAsTwo()
    {
        const LaunchOutcome started = launch(request(QStringLiteral("two")), false);
        QVERIFY(started.pid > 0);
        const QString d = folder(QStringLiteral("two"));
        QCOMPARE(readAll(d + QStringLiteral("/.rdt/launcher-args")), QByteArray("--nproc_per_node\n2\n--master_port\n0\n"));
        QVERIFY(readAll(d + QStringLiteral("/.rdt/argv")).startsWith("launch\n--nproc_per_node\n2\n"));
        QList<QJsonObject> starts = events(d + QStringLiteral("/metrics.jsonl"), QStringLiteral("start"));
        QCOMPARE(starts.size(), 1);
        QCOMPARE(starts.front().value(QStringLiteral("world_size")).toInt(), 2);
        // Both ranks train: rank 1 keeps its own log.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(d + QStringLiteral("/train.rank1.log")), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!events(d + QStringLiteral("/metrics.jsonl"), QStringLiteral("checkpoint")).isEmpty(), 120000);

        RunStopper stopper(m_client.get());
        QSignalSpy stopped(&stopper, &RunStopper::finished);
        stopper.stop(m_root, QStringLiteral("two"), 60);
        QVERIFY(stopped.wait(120000));
        QCOMPARE(stopper.error().code, ErrorCode::None);
        QVERIFY2(workerOfRank(started.pid, 1) == 0, "no worker outlives the stop");
        const qint64 lastCheckpoint = events(d + QStringLiteral("/metrics.jsonl"), QStringLiteral("checkpoint")).last()
                                          .value(QStringLiteral("step")).toInteger();

        const LaunchOutcome resumed = launch(request(QStringLiteral("two")), true);
        QVERIFY(resumed.pid > 0);
        starts = events(d + QStringLiteral("/metrics.jsonl"), QStringLiteral("start"));
        QCOMPARE(starts.size(), 2);
        QCOMPARE(starts.last().value(QStringLiteral("world_size")).toInt(), 2);
        QCOMPARE(starts.last().value(QStringLiteral("step")).toInteger(), lastCheckpoint);
        QVERIFY(readAll(d + QStringLiteral("/.rdt/argv")).contains("--resume_from_checkpoint\nlatest\n"));

        // A worker dies: the launcher ends the others and names it; the dashboard's reader
        // finds that line and the device list.
        qint64 worker = 0;
        QTRY_VERIFY_WITH_TIMEOUT((worker = workerOfRank(resumed.pid, 1)) > 0, 30000);
        QVERIFY(::kill(pid_t(worker), SIGKILL) == 0);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(d + QStringLiteral("/.rdt/exit-status")), 60000);
        RankErrors reader(m_client.get());
        QSignalSpy read(&reader, &RankErrors::finished);
        reader.start(m_root, QStringLiteral("two"));
        QVERIFY(read.wait(30000));
        QCOMPARE(reader.error().code, ErrorCode::None);
        const QString said = reader.errors().join(QLatin1Char('\n'));
        QVERIFY2(said.contains(QStringLiteral("rank 1 (pid %1) was killed by SIGKILL").arg(worker)), qPrintable(said));
        QVERIFY(!reader.visibleDevices().has_value());   // a CPU run sets no CUDA_VISIBLE_DEVICES
    }
};

QTEST_GUILESS_MAIN(DistRunsTest)
#include "sshd_dist_runs.moc"
