// Evals on the real jump topology with the real rdt-trainer: a tiny CPU model trained here
// on a dataset rdt-sandbox-data writes, then `rdt-trainer eval` launched detached on the GPU
// host through the jump host, followed from its events.jsonl to done, listed, downloaded
// into a local cache folder verified by MD5 (a second download moves nothing, a damaged
// local video is the only file fetched again), a long eval stopped while it runs (the
// process is gone, the list says stopped), and a failing eval whose error reaches the
// caller as one line; the same through `rdtctl eval` (with the trainer's eval preset),
// `evals` and `videos`. The GPU host is
// a network namespace of this machine, so the test reads the server's files locally.
#include "EvalDownloader.h"
#include "EvalFolder.h"
#include "EvalFollower.h"
#include "EvalLauncher.h"
#include "EvalList.h"
#include "EvalResults.h"
#include "RunStopper.h"
#include "support_files.h"
#include "support_rdtctl.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using namespace rdt;

namespace {

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

// Runs a program here to its end; its output on failure.
QString runLocally(const QString &program, const QStringList &arguments, int waitMs = 120000)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(waitMs) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QStringLiteral("%1 failed: %2").arg(program, QString::fromUtf8(process.readAll().right(2000)));
    return {};
}

int episodeLines(const QString &eventsPath)
{
    QFile file(eventsPath);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    return int(file.readAll().count("\"event\":\"episode\""));
}

} // namespace

class EvalsTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_work;
    QTemporaryDir m_home;
    QString m_root;

    std::unique_ptr<SshClient> connectGpu()
    {
        Connected c = connectRoute(m_topo.gpuRoute());
        if (!c.client)
            qWarning("connect: %s", qPrintable(c.error.message));
        return std::move(c.client);
    }

    EvalLaunchRequest request(const QString &run) const
    {
        EvalLaunchRequest r;
        r.remoteRoot = m_root;
        r.runName = run;
        r.options.checkpoint = QStringLiteral("checkpoint-10");
        r.trainer = QStringLiteral(RDT_TRAINER_BINARY);
        r.startTimeoutSeconds = 120;
        return r;
    }

    QString trainRun(const QString &name, int demos, int steps)
    {
        const QString dataset = m_root + QStringLiteral("/datasets/%1.hdf5").arg(name);
        QString error = runLocally(QStringLiteral(RDT_SANDBOX_DATA_BINARY),
                                   {dataset, QStringLiteral("--demos"), QString::number(demos), QStringLiteral("--steps"),
                                    QString::number(steps), QStringLiteral("--image"), QStringLiteral("8")});
        if (!error.isEmpty())
            return error;
        return runLocally(QStringLiteral(RDT_TRAINER_BINARY),
                          {QStringLiteral("train"), QStringLiteral("--config"), m_root + QStringLiteral("/tiny.yaml"),
                           QStringLiteral("--dataset"), dataset, QStringLiteral("--output_dir"),
                           m_root + QStringLiteral("/runs/") + name, QStringLiteral("--max_train_steps"), QStringLiteral("10"),
                           QStringLiteral("--train_batch_size"), QStringLiteral("2"), QStringLiteral("--checkpointing_period"),
                           QStringLiteral("10"), QStringLiteral("--dataloader_num_workers"), QStringLiteral("0"),
                           QStringLiteral("--lr_warmup_steps"), QStringLiteral("0"),
                           // The tiny model trains on the stand-in encoders, which must be asked for.
                           QStringLiteral("--vision_encoder"), QStringLiteral("patch"), QStringLiteral("--lang"),
                           QStringLiteral("learned")});
    }

    QList<EvalInfo> listEvals(SshClient &client, const QString &run)
    {
        EvalList list(&client);
        QSignalSpy done(&list, &EvalList::finished);
        list.refresh(m_root, run);
        if (!done.wait(60000))
            qWarning("eval list: no answer");
        if (list.error().code != ErrorCode::None)
            qWarning("eval list: %s", qPrintable(list.error().message));
        return list.evals();
    }

    // Downloads the eval of `run` checkpoint-10 into `local`; false with a warning on failure.
    bool download(const QString &run, const QString &local, EvalDownloader &downloader)
    {
        QSignalSpy done(&downloader, &EvalDownloader::finished);
        downloader.start(m_root, run, QStringLiteral("checkpoint-10"), local);
        if (!done.wait(120000)) {
            qWarning("download: no end");
            return false;
        }
        if (downloader.error().code != ErrorCode::None) {
            qWarning("download: %s", qPrintable(downloader.error().message));
            return false;
        }
        return true;
    }

    CliRun rdtctl(const QStringList &arguments, int waitMs = 180000)
    {
        return runRdtctl(QStringList{QStringLiteral("-F"), m_topo.sshConfigFile()} + arguments, m_home.path(), waitMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_work.isValid() && m_home.isValid());
        m_root = QDir(m_work.path()).canonicalPath() + QStringLiteral("/root");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/datasets")));
        QVERIFY(writeFile(m_root + QStringLiteral("/tiny.yaml"), kTinyConfig));
        // "short": 4 episodes of 40 steps, seconds to eval; "long": 40 of 300, minutes.
        QString error = trainRun(QStringLiteral("short"), 4, 40);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = trainRun(QStringLiteral("long"), 40, 300);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void launchFollowListAndDownload()
    {
        std::unique_ptr<SshClient> client = connectGpu();
        QVERIFY(client);
        EvalLauncher launcher(client.get());
        QSignalSpy launched(&launcher, &EvalLauncher::finished);
        launcher.start(request(QStringLiteral("short")));
        QVERIFY(launched.wait(150000));
        QVERIFY2(launcher.error().code == ErrorCode::None, qPrintable(launcher.error().message));
        const QString folder = EvalFolder::folder(m_root, QStringLiteral("short"), QStringLiteral("checkpoint-10"));
        QCOMPARE(launcher.outcome().folder, folder);
        QVERIFY(launcher.outcome().pid > 0);

        EvalFollower follower;
        QList<EvalEvent> episodes;
        int total = -1;
        int doneEpisodes = -1;
        QString failure;
        connect(&follower, &EvalFollower::started, this, [&](int n) { total = n; });
        connect(&follower, &EvalFollower::episodeFinished, this, [&](const EvalEvent &e) { episodes.append(e); });
        connect(&follower, &EvalFollower::done, this, [&](int n) { doneEpisodes = n; });
        connect(&follower, &EvalFollower::failed, this, [&](const QString &m) { failure = m; });
        follower.start(client.get(), m_root, QStringLiteral("short"), QStringLiteral("checkpoint-10"));
        QVERIFY2(waitUntil([&] { return doneEpisodes >= 0 || !failure.isEmpty(); }, 120000), "the eval never ended");
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QCOMPARE(total, 4);
        QCOMPARE(doneEpisodes, 4);
        QCOMPARE(episodes.size(), 4);
        for (int i = 0; i < episodes.size(); ++i) {
            QCOMPARE(episodes[i].index, i);
            QCOMPARE(episodes[i].steps, 40);
            QVERIFY(std::isfinite(episodes[i].mse));
            QVERIFY2(QFileInfo::exists(folder + QLatin1Char('/') + episodes[i].video), qPrintable(episodes[i].video));
        }
        QCOMPARE(episodeLines(folder + QStringLiteral("/events.jsonl")), 4);
        QVERIFY(!follower.isFollowing());

        // The process ends just after its done event.
        QList<EvalInfo> evals;
        QVERIFY(waitUntil([&] {
            evals = listEvals(*client, QStringLiteral("short"));
            return evals.size() == 1 && evals[0].state != EvalState::Running;
        }, 30000));
        QCOMPARE(evals[0].state, EvalState::Done);
        QCOMPARE(evals[0].episodesDone, 4);
        QCOMPARE(evals[0].episodesTotal, 4);
        QCOMPARE(evals[0].videos, 4);
        QVERIFY(evals[0].hasResults);

        // Into the local cache folder, verified: every file's MD5 is the server's.
        const QString local = m_work.path() + QStringLiteral("/cache/gpu/short/checkpoint-10");
        EvalDownloader downloader(client.get());
        QStringList arrived;
        connect(&downloader, &EvalDownloader::fileArrived, this, [&](const QString &path) { arrived.append(path); });
        QVERIFY(download(QStringLiteral("short"), local, downloader));
        const QMap<QString, QByteArray> serverFiles = md5Tree(folder);
        QVERIFY(serverFiles.contains(QStringLiteral("results.json")));
        QCOMPARE(md5Tree(local), serverFiles);
        QCOMPARE(downloader.filesMoved(), serverFiles.size());
        QCOMPARE(arrived.size(), serverFiles.size());
        Result<EvalResults> results = EvalResults::load(local + QStringLiteral("/results.json"));
        QVERIFY2(results, qPrintable(results ? QString() : results.error().message));
        QCOMPARE(int(results->episodes.size()), 4);
        for (const EvalEpisodeResult &episode : results->episodes)
            QVERIFY2(QFileInfo::exists(local + QLatin1Char('/') + episode.video), qPrintable(episode.video));

        // Again: nothing moves.
        arrived.clear();
        QVERIFY(download(QStringLiteral("short"), local, downloader));
        QCOMPARE(downloader.filesMoved(), 0);
        QCOMPARE(downloader.bytesMoved(), 0);
        QVERIFY(downloader.plan().transfers().isEmpty());
        QCOMPARE(arrived.size(), 0);

        // A local video damaged: that one file, and only it, comes again.
        const QString video = local + QLatin1Char('/') + results->episodes[1].video;
        QFile damaged(video);
        QVERIFY(damaged.open(QIODevice::ReadWrite));
        damaged.seek(100);
        damaged.write("XXXX");
        damaged.close();
        QVERIFY(download(QStringLiteral("short"), local, downloader));
        QCOMPARE(downloader.filesMoved(), 1);
        QCOMPARE(arrived, QStringList{results->episodes[1].video});
        QCOMPARE(md5Tree(local), serverFiles);
    }

    void stopEndsARunningEval()
    {
        std::unique_ptr<SshClient> client = connectGpu();
        QVERIFY(client);
        EvalLauncher launcher(client.get());
        QSignalSpy launched(&launcher, &EvalLauncher::finished);
        EvalLaunchRequest all = request(QStringLiteral("long"));
        QStringList demos;
        for (int i = 0; i < 40; ++i)
            demos.append(QStringLiteral("demo_%1").arg(i));
        all.options.episodes = demos.join(QLatin1Char(','));   // not only the held-out few
        launcher.start(all);
        QVERIFY(launched.wait(150000));
        QVERIFY2(launcher.error().code == ErrorCode::None, qPrintable(launcher.error().message));
        const qint64 pid = launcher.outcome().pid;

        EvalFollower follower;
        int episodes = 0;
        QString failure;
        bool done = false;
        connect(&follower, &EvalFollower::episodeFinished, this, [&](const EvalEvent &) { ++episodes; });
        connect(&follower, &EvalFollower::failed, this, [&](const QString &m) { failure = m; });
        connect(&follower, &EvalFollower::done, this, [&](int) { done = true; });
        follower.setLivenessIntervalMs(500);
        follower.start(client.get(), m_root, QStringLiteral("long"), QStringLiteral("checkpoint-10"));
        QVERIFY2(waitUntil([&] { return episodes >= 1; }, 120000), "no episode finished");
        const QList<EvalInfo> running = listEvals(*client, QStringLiteral("long"));
        QCOMPARE(running.size(), 1);
        QCOMPARE(running[0].state, EvalState::Running);
        QCOMPARE(running[0].pid, pid);
        QCOMPARE(running[0].episodesTotal, 40);

        RunStopper stopper(client.get());
        QSignalSpy stopped(&stopper, &RunStopper::finished);
        stopper.stopEval(m_root, QStringLiteral("long"), QStringLiteral("checkpoint-10"));
        QVERIFY(stopped.wait(60000));
        QVERIFY2(stopper.error().code == ErrorCode::None, qPrintable(stopper.error().message));
        QVERIFY(stopper.outcome().wasRunning);
        QCOMPARE(stopper.outcome().pid, pid);
        QVERIFY2(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)), "the eval process must be gone");

        // The follower hears of it, in one line, without waiting for ever.
        QVERIFY2(waitUntil([&] { return !failure.isEmpty() || done; }, 30000), "the follower never noticed the stop");
        QVERIFY(!done);
        QVERIFY2(failure.contains(QLatin1String("stopped")) && !failure.contains(QLatin1Char('\n')), qPrintable(failure));
        const QList<EvalInfo> after = listEvals(*client, QStringLiteral("long"));
        QCOMPARE(after.value(0).state, EvalState::Stopped);
        QVERIFY(after.value(0).episodesDone < 40);
    }

    void aFailingEvalSaysWhyInOneLine()
    {
        std::unique_ptr<SshClient> client = connectGpu();
        QVERIFY(client);
        EvalLauncher launcher(client.get());
        QSignalSpy launched(&launcher, &EvalLauncher::finished);
        EvalLaunchRequest bad = request(QStringLiteral("short"));
        bad.options.episodes = QStringLiteral("demo_99");
        launcher.start(bad);
        QVERIFY(launched.wait(150000));
        QCOMPARE(launcher.error().code, ErrorCode::RemoteFailed);
        const QString message = launcher.error().message;
        QVERIFY2(message.contains(QLatin1String("demo_99")) && message.contains(QLatin1String("rdt-trainer eval:")),
                 qPrintable(message));
        QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
        const QList<EvalInfo> evals = listEvals(*client, QStringLiteral("short"));
        QCOMPARE(evals.value(0).state, EvalState::Failed);
        QVERIFY2(evals.value(0).detail.contains(QLatin1String("demo_99")), qPrintable(evals.value(0).detail));

        // No such checkpoint: refused before anything runs.
        EvalLaunchRequest missing = request(QStringLiteral("short"));
        missing.options.checkpoint = QStringLiteral("checkpoint-77");
        launcher.start(missing);
        QVERIFY(launched.wait(60000));
        QVERIFY2(launcher.error().message.endsWith(QLatin1String("run short has no checkpoint-77")),
                 qPrintable(launcher.error().message));

        const CliRun cli = rdtctl({QStringLiteral("eval"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root,
                                   QStringLiteral("--run"), QStringLiteral("short"), QStringLiteral("--checkpoint"),
                                   QStringLiteral("10"), QStringLiteral("--episodes"), QStringLiteral("demo_99"),
                                   QStringLiteral("--trainer"), QStringLiteral(RDT_TRAINER_BINARY)});
        QCOMPARE(cli.exitCode, 1);
        QCOMPARE(cli.err.trimmed().count('\n'), 0);
        QVERIFY2(cli.err.contains("demo_99"), cli.err.constData());
    }

    void rdtctlEvalsAndVideos()
    {
        const QStringList target = {QStringLiteral("gpu"), QStringLiteral("--root"), m_root, QStringLiteral("--run"),
                                    QStringLiteral("short")};
        // Through the trainer's eval preset: its shell line, its fields filled in.
        const CliRun eval = rdtctl(QStringList{QStringLiteral("eval")} + target
                                   + QStringList{QStringLiteral("--checkpoint"), QStringLiteral("10"),
                                                 QStringLiteral("--trainer"), QStringLiteral(RDT_TRAINER_BINARY),
                                                 QStringLiteral("--command"), QStringLiteral("rdt-trainer eval")});
        QVERIFY2(eval.exitCode == 0, eval.err.constData());
        QVERIFY2(eval.err.contains("episode 4/4 demo_3"), eval.err.constData());
        QVERIFY2(eval.out.contains("eval of checkpoint-10 done: 4 episodes"), eval.out.constData());

        const CliRun list = rdtctl(QStringList{QStringLiteral("evals")} + target);
        QVERIFY2(list.exitCode == 0, list.err.constData());
        QVERIFY2(list.out.contains("checkpoint-10") && list.out.contains("done") && list.out.contains("4/4"),
                 list.out.constData());

        const QString local = m_work.path() + QStringLiteral("/cli-videos");
        const CliRun videos = rdtctl(QStringList{QStringLiteral("videos")} + target + QStringList{local});
        QVERIFY2(videos.exitCode == 0, videos.err.constData());
        const QString folder = EvalFolder::folder(m_root, QStringLiteral("short"), QStringLiteral("checkpoint-10"));
        QCOMPARE(md5Tree(local + QStringLiteral("/checkpoint-10")), md5Tree(folder));
        const CliRun again = rdtctl(QStringList{QStringLiteral("videos")} + target
                                    + QStringList{QStringLiteral("--checkpoint"), QStringLiteral("10"), local});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY2(again.out.contains("checkpoint-10: 0 files fetched"), again.out.constData());
    }
};

QTEST_GUILESS_MAIN(EvalsTest)
#include "sshd_evals.moc"
