// RemoteChecksums on the GPU host behind the jump host, over a real connection: a folder
// with hostile file names hashed by the server's md5sum equals the workstation's own
// hashes; the server cache answers a second run and still catches a rewrite that kept the
// size and restored the mtime; a missing root, a file root and a read-only root behave.
#include "support_files.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include "ChecksumCache.h"
#include "ChecksumComparer.h"
#include "FileComparison.h"
#include "LocalChecksums.h"
#include "Md5Hasher.h"
#include "RemoteChecksums.h"
#include "ShellQuote.h"
#include "SyncPlan.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>

namespace {

struct RemoteRun {
    rdt::Error error;
    rdt::RemoteRootKind rootKind = rdt::RemoteRootKind::Missing;
    rdt::FileChecksumList files;
    QStringList warnings;
    int fromCache = 0;
    int progressSignals = 0;
};



// UTF-8 names only: the workstation side reads names through QString (see the report's gaps).
// Names a shell would trip on. Names with a line break are refused since the hostile-server
// rules (sshd_hostile tests that), so none is listed here.
const QStringList kNames = {
    QStringLiteral("libero_10.hdf5"), QStringLiteral("with space"), QStringLiteral("-n"), QStringLiteral("--help"),
    QStringLiteral("new  line"), QStringLiteral("tab\tand\\backslash"), QStringLiteral("@@end"),
    QStringLiteral("ü✓ unicode"), QStringLiteral("'quote\" $(echo pwned) `x` *"), QStringLiteral("sub dir/inner  file"),
    QStringLiteral(" leading space"), QStringLiteral("empty"), QStringLiteral("block/32768"), QStringLiteral("block/1MiB+1"),
};

qint64 sizeFor(int index)
{
    if (kNames[index] == QLatin1String("empty"))
        return 0;
    if (kNames[index] == QLatin1String("block/32768"))
        return 32768;
    if (kNames[index] == QLatin1String("block/1MiB+1"))
        return (1 << 20) + 1;
    return 1000 + 37 * index;
}

} // namespace

class ChecksumRemoteTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    std::unique_ptr<rdt::SshClient> m_client;
    QTemporaryDir m_dir;   // the gpu host shares this machine's file system
    QString m_root;

    RemoteRun runRemote(const QString &root, rdt::RemoteChecksumOptions options = {})
    {
        RemoteRun run;
        rdt::RemoteChecksums sums(m_client.get());
        options.racyWindowMs = 0;   // files made a moment ago count as settled
        sums.setOptions(options);
        QSignalSpy finished(&sums, &rdt::RemoteChecksums::finished);
        connect(&sums, &rdt::RemoteChecksums::progress, this, [&run] { ++run.progressSignals; });
        sums.start(root);
        if (!finished.wait(60000)) {
            run.error = rdt::makeError(rdt::ErrorCode::Timeout, QStringLiteral("test: no answer within 60 s"));
            return run;
        }
        run.error = sums.error();
        run.rootKind = sums.rootKind();
        run.files = sums.files();
        run.warnings = sums.warnings();
        run.fromCache = sums.filesFromCache();
        return run;
    }

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(c.error.message));
        m_client = std::move(c.client);
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath(QStringLiteral("-dataset root"));
        for (int i = 0; i < kNames.size(); ++i)
            QVERIFY(writeFile(m_root + QLatin1Char('/') + kNames[i], randomBytes(sizeFor(i), quint32(i))));
    }

    void hostileNamesHashLikeTheWorkstation()
    {
        const RemoteRun remote = runRemote(m_root);
        QVERIFY2(remote.error.code == rdt::ErrorCode::None, qPrintable(remote.error.message));
        QCOMPARE(remote.rootKind, rdt::RemoteRootKind::Folder);
        QCOMPARE(remote.files.size(), kNames.size());
        QCOMPARE(remote.fromCache, 0);
        QVERIFY(remote.progressSignals > 0);
        QVERIFY2(remote.warnings.isEmpty(), qPrintable(remote.warnings.join(QLatin1Char('\n'))));

        const rdt::Result<rdt::FileChecksumList> local = rdt::LocalChecksums::compute(m_root, {});
        QVERIFY2(local.ok(), qPrintable(local.error().message));
        const rdt::FileComparison comparison = rdt::FileComparison::compare(*local, remote.files);
        QVERIFY(comparison.isIdentical());
        QCOMPARE(remote.files, *local);   // path, size, mtime to the nanosecond, MD5
        QVERIFY(QFile::exists(m_root + QStringLiteral("/.rdt/md5-cache")));
    }

    void secondRunComesFromTheServerCache()
    {
        const RemoteRun first = runRemote(m_root);
        QVERIFY2(first.error.code == rdt::ErrorCode::None, qPrintable(first.error.message));
        QCOMPARE(first.fromCache, kNames.size());
        const rdt::Result<rdt::FileChecksumList> local = rdt::LocalChecksums::compute(m_root, {});
        QVERIFY(local.ok());
        QCOMPARE(first.files, *local);

        rdt::RemoteChecksumOptions noCache;
        noCache.useServerCache = false;
        const RemoteRun uncached = runRemote(m_root, noCache);
        QCOMPARE(uncached.fromCache, 0);
        QCOMPARE(uncached.files, *local);
    }

    void rewriteWithRestoredMtimeIsCaught()
    {
        const QString path = m_root + QStringLiteral("/libero_10.hdf5");
        struct stat before {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &before), 0);
        QTest::qWait(30);   // past the file-system clock's tick, so ctime moves
        const QByteArray other = randomBytes(before.st_size, 4242);
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            QCOMPARE(file.write(other), other.size());
        }
        const struct timespec times[2] = {before.st_atim, before.st_mtim};
        QCOMPARE(::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, 0), 0);

        const RemoteRun run = runRemote(m_root);
        QVERIFY2(run.error.code == rdt::ErrorCode::None, qPrintable(run.error.message));
        QCOMPARE(run.fromCache, kNames.size() - 1);
        const auto it = std::find_if(run.files.cbegin(), run.files.cend(),
                                     [](const rdt::FileChecksum &f) { return f.relativePath == QLatin1String("libero_10.hdf5"); });
        QVERIFY(it != run.files.cend());
        QCOMPARE(it->md5, rdt::Md5Hasher::hashBytes(other));
        QCOMPARE(it->mtimeNs, qint64(before.st_mtim.tv_sec) * 1000000000 + before.st_mtim.tv_nsec);
    }

    void comparisonAndPlanAgainstTheServer()
    {
        // The workstation's copy: the same files, one changed, one extra; the server has one more.
        const QString local = m_dir.filePath(QStringLiteral("local copy"));
        for (int i = 0; i < kNames.size(); ++i)
            QVERIFY(writeFile(local + QLatin1Char('/') + kNames[i], randomBytes(sizeFor(i), quint32(i))));
        QVERIFY(writeFile(local + QStringLiteral("/with space"), randomBytes(sizeFor(1), 777)));
        QVERIFY(writeFile(local + QStringLiteral("/only here"), "new"));
        QVERIFY(writeFile(m_root + QStringLiteral("/only there"), "old"));

        const RemoteRun remote = runRemote(m_root);
        QVERIFY2(remote.error.code == rdt::ErrorCode::None, qPrintable(remote.error.message));
        const rdt::Result<rdt::FileChecksumList> localFiles = rdt::LocalChecksums::compute(local, {});
        QVERIFY(localFiles.ok());
        const rdt::FileComparison comparison = rdt::FileComparison::compare(*localFiles, remote.files);
        // libero_10.hdf5 was rewritten on the server above, "with space" here.
        QCOMPARE(comparison.count(rdt::FileState::Different), 2);
        QCOMPARE(comparison.count(rdt::FileState::MissingThere), 1);
        QCOMPARE(comparison.count(rdt::FileState::MissingHere), 1);
        const rdt::SyncPlan plan = rdt::SyncPlan::make(comparison, rdt::SyncDirection::Push);
        QCOMPARE(plan.transfers().size(), 3);
        QCOMPARE(plan.bytesToSend(), sizeFor(0) + sizeFor(1) + 3);
        QCOMPARE(plan.extrasKept(), QStringList{QStringLiteral("only there")});
    }

    void comparerRunsBothSidesAtOnce()
    {
        rdt::ChecksumCache cache(m_dir.filePath(QStringLiteral("local-cache.tsv")));
        rdt::LocalChecksumOptions localOptions;
        localOptions.cache = &cache;
        localOptions.racyWindowMs = 0;
        rdt::RemoteChecksumOptions remoteOptions;
        remoteOptions.racyWindowMs = 0;
        auto compare = [&](const QString &local, const QString &remote, rdt::ChecksumComparer *comparer) {
            comparer->setLocalOptions(localOptions);
            comparer->setRemoteOptions(remoteOptions);
            QSignalSpy finished(comparer, &rdt::ChecksumComparer::finished);
            comparer->start(local, remote);
            return finished.wait(60000);
        };

        rdt::ChecksumComparer same(m_client.get());
        QVERIFY(compare(m_root, m_root, &same));
        QVERIFY2(same.error().code == rdt::ErrorCode::None, qPrintable(same.error().message));
        QVERIFY(same.comparison().isIdentical());
        QVERIFY(same.comparison().files().size() > kNames.size());
        QVERIFY(QFile::exists(cache.filePath()));   // saved, since the run added to it

        // Two single files under different names compare by content.
        const QString copy = m_dir.filePath(QStringLiteral("copy.bin"));
        QVERIFY(QFile::copy(m_root + QStringLiteral("/block/32768"), copy));
        rdt::ChecksumComparer files(m_client.get());
        QVERIFY(compare(copy, m_root + QStringLiteral("/block/32768"), &files));
        QVERIFY2(files.error().code == rdt::ErrorCode::None, qPrintable(files.error().message));
        QCOMPARE(files.comparison().files().size(), 1);
        QVERIFY(files.comparison().isIdentical());

        // Nothing here yet (a pull into a new folder): every server file is missing here.
        rdt::ChecksumComparer fresh(m_client.get());
        QVERIFY(compare(m_dir.filePath(QStringLiteral("new folder")), m_root, &fresh));
        QVERIFY2(fresh.error().code == rdt::ErrorCode::None, qPrintable(fresh.error().message));
        QVERIFY(!fresh.localExists());
        QCOMPARE(fresh.comparison().count(rdt::FileState::MissingHere), fresh.comparison().files().size());
    }

    void fileChangedWhileHashedIsHashedAgain()
    {
        // A fake md5sum first on the gpu host's PATH appends a byte to each file it is given
        // before hashing it: on its first call only, then on every call.
        const QString folder = m_dir.filePath(QStringLiteral("changing"));
        const QByteArray original = randomBytes(5000, 31);
        QVERIFY(writeFile(folder + QStringLiteral("/data.bin"), original));
        const QByteArray marker = rdt::shellQuote(QFile::encodeName(m_dir.filePath(QStringLiteral("changed-once"))));
        const QByteArray once = "#!/bin/sh\nif [ ! -e " + marker + " ]; then\n"
                                "  for a; do case $a in ./*) : > " + marker + "; printf x >> \"$a\" ;; esac; done\nfi\n"
                                "exec /usr/bin/md5sum \"$@\"\n";
        const QByteArray always = "#!/bin/sh\nfor a; do case $a in ./*) printf x >> \"$a\" ;; esac; done\n"
                                  "exec /usr/bin/md5sum \"$@\"\n";
        const QString tool = m_topo.gpuBinDir() + QStringLiteral("/md5sum");
        struct RemoveTool {
            QString path;
            ~RemoveTool() { QFile::remove(path); }
        } cleanup{tool};

        QString error;
        QVERIFY2(m_topo.installGpuTool(QStringLiteral("md5sum"), once, &error), qPrintable(error));
        const RemoteRun run = runRemote(folder);
        QVERIFY2(run.error.code == rdt::ErrorCode::None, qPrintable(run.error.message));
        QCOMPARE(run.files.size(), 1);
        QCOMPARE(run.files.first().size, qint64(original.size() + 1));
        QCOMPARE(run.files.first().md5, rdt::Md5Hasher::hashBytes(original + 'x'));

        QVERIFY2(m_topo.installGpuTool(QStringLiteral("md5sum"), always, &error), qPrintable(error));
        rdt::RemoteChecksumOptions noCache;
        noCache.useServerCache = false;
        const RemoteRun restless = runRemote(folder, noCache);
        QCOMPARE(restless.error.code, rdt::ErrorCode::RemoteFailed);
        QVERIFY2(restless.error.message.endsWith(QLatin1String("data.bin kept changing while it was read")),
                 qPrintable(restless.error.message));
    }

    void missingRootIsAResultNotAnError()
    {
        const RemoteRun run = runRemote(m_dir.filePath(QStringLiteral("not there/at all")));
        QVERIFY2(run.error.code == rdt::ErrorCode::None, qPrintable(run.error.message));
        QCOMPARE(run.rootKind, rdt::RemoteRootKind::Missing);
        QVERIFY(run.files.isEmpty());
    }

    void fileRootIsListedUnderItsName()
    {
        const QString path = m_root + QStringLiteral("/new  line");
        const RemoteRun run = runRemote(path);
        QVERIFY2(run.error.code == rdt::ErrorCode::None, qPrintable(run.error.message));
        QCOMPARE(run.rootKind, rdt::RemoteRootKind::File);
        QCOMPARE(run.files.size(), 1);
        QCOMPARE(run.files.first().relativePath, QStringLiteral("new  line"));
        QCOMPARE(run.files.first().md5, *rdt::Md5Hasher().hashFile(path));
        QCOMPARE(run.fromCache, 1);   // the folder's cache covers its files
    }

    void readOnlyRootHashesAndWarns()
    {
        // A read-only tmpfs inside the gpu host's mount namespace (tests/sshd/topology).
        const RemoteRun run = runRemote(m_topo.dir() + QStringLiteral("/gpu-readonly"));
        QVERIFY2(run.error.code == rdt::ErrorCode::None, qPrintable(run.error.message));
        QCOMPARE(run.files.size(), 1);
        QCOMPARE(run.files.first().relativePath, QStringLiteral("existing.txt"));
        QCOMPARE(run.files.first().md5.size(), 32);
        QCOMPARE(run.warnings.size(), 1);
        QVERIFY2(run.warnings.first().contains(QLatin1String("could not be written")), qPrintable(run.warnings.first()));
    }

    void cancelEndsWithCancelled()
    {
        rdt::RemoteChecksums sums(m_client.get());
        rdt::RemoteChecksumOptions options;
        options.useServerCache = false;
        sums.setOptions(options);
        QSignalSpy finished(&sums, &rdt::RemoteChecksums::finished);
        sums.start(m_root);
        sums.cancel();
        QVERIFY(finished.wait(30000));
        QCOMPARE(sums.error().code, rdt::ErrorCode::Cancelled);
        QVERIFY2(sums.error().message.contains(m_root), qPrintable(sums.error().message));
    }
};

QTEST_GUILESS_MAIN(ChecksumRemoteTest)
#include "sshd_checksum_remote.moc"
