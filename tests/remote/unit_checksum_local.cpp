// Local checksums against the reference: Md5Hasher and LocalChecksums agree with md5sum on
// block-edge sizes and hostile names; the cache hits only for an unchanged file and misses a
// rewrite that kept the size and restored the mtime; cancel ends the work promptly.
#include "ChecksumCache.h"
#include "FileIdentity.h"
#include "LocalChecksums.h"
#include "Md5Hasher.h"
#include "support_files.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {



// The reference: coreutils md5sum, reading the file itself.
QString md5sumOf(const QString &path)
{
    QProcess process;
    process.start(QStringLiteral("md5sum"), {QStringLiteral("--"), path});
    if (!process.waitForFinished(30000) || process.exitCode() != 0)
        return QStringLiteral("md5sum failed: ") + QString::fromLocal8Bit(process.readAllStandardError());
    const QByteArray out = process.readAllStandardOutput();
    // A name with a newline or backslash makes md5sum prefix the line with '\'.
    return QString::fromLatin1(out.startsWith('\\') ? out.mid(1, 32) : out.left(32));
}

// Rewrites the file in place with other bytes of the same size, then puts the old mtime back
// with utimensat, as a careless tool or `touch -r` would. Only ctime can tell.
bool rewriteKeepingSizeAndMtime(const QString &path, const QByteArray &newContent)
{
    struct stat before {};
    if (::stat(QFile::encodeName(path).constData(), &before) != 0)
        return false;
    QThread::msleep(30);   // past the file-system clock's tick (a jiffy), so ctime moves
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadWrite) || file.write(newContent) != newContent.size())
            return false;
    }
    const struct timespec times[2] = {before.st_atim, before.st_mtim};
    return ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, 0) == 0;
}

} // namespace

class ChecksumLocalTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void hashMatchesMd5sum_data()
    {
        QTest::addColumn<qint64>("size");
        for (qint64 size : {0LL, 1LL, 32767LL, 32768LL, 32769LL, (1LL << 20) + 1, 3 * (1LL << 20) - 5})
            QTest::newRow(qPrintable(QString::number(size))) << size;
    }

    void hashMatchesMd5sum()
    {
        QFETCH(qint64, size);
        const QString path = m_dir.filePath(QStringLiteral("random-%1.bin").arg(size));
        const QByteArray data = randomBytes(size, quint32(size) + 7);
        QVERIFY(writeFile(path, data));
        rdt::Md5Hasher hasher;
        qint64 lastProgress = 0;
        hasher.setProgress([&](qint64 done) {
            QVERIFY(done >= lastProgress);
            lastProgress = done;
        });
        const rdt::Result<QString> md5 = hasher.hashFile(path);
        QVERIFY2(md5.ok(), qPrintable(md5.error().message));
        QCOMPARE(*md5, md5sumOf(path));
        QCOMPARE(*md5, rdt::Md5Hasher::hashBytes(data));
        QCOMPARE(lastProgress, size);
    }

    void prefixMatchesMd5sumOfTheFirstBytes()
    {
        const QString path = m_dir.filePath(QStringLiteral("prefix.bin"));
        const QByteArray data = randomBytes((1 << 20) + 1, 99);
        QVERIFY(writeFile(path, data));
        rdt::Md5Hasher hasher;
        for (qint64 length : {0LL, 1LL, 32768LL, qint64(1 << 20), qint64(data.size())}) {
            const rdt::Result<QString> md5 = hasher.hashPrefix(path, length);
            QVERIFY2(md5.ok(), qPrintable(md5.error().message));
            QCOMPARE(*md5, rdt::Md5Hasher::hashBytes(data.left(length)));
        }
        QCOMPARE(*hasher.hashPrefix(path, data.size()), md5sumOf(path));
        const rdt::Result<QString> tooLong = hasher.hashPrefix(path, data.size() + 1);
        QVERIFY(!tooLong.ok());
        QVERIFY2(tooLong.error().message.contains(path), qPrintable(tooLong.error().message));
    }

    void errorsNameTheFileAndTheReason()
    {
        const QString missing = m_dir.filePath(QStringLiteral("no such.hdf5"));
        const rdt::Result<QString> md5 = rdt::Md5Hasher().hashFile(missing);
        QVERIFY(!md5.ok());
        QCOMPARE(md5.error().code, rdt::ErrorCode::LocalIo);
        QCOMPARE(md5.error().message, QStringLiteral("hashing %1: no such file or directory").arg(missing));
        if (::geteuid() != 0) {   // root reads anything
            const QString locked = m_dir.filePath(QStringLiteral("locked.bin"));
            QVERIFY(writeFile(locked, "x"));
            QVERIFY(QFile::setPermissions(locked, QFileDevice::WriteOwner));
            const rdt::Result<QString> denied = rdt::Md5Hasher().hashFile(locked);
            QVERIFY(!denied.ok());
            QVERIFY2(denied.error().message.endsWith(QLatin1String("permission denied")), qPrintable(denied.error().message));
        }
    }

    void cancelStopsBetweenBlocks()
    {
        const QString path = m_dir.filePath(QStringLiteral("cancel.bin"));
        QVERIFY(writeFile(path, randomBytes(4 << 20, 5)));
        std::atomic<bool> cancel{false};
        rdt::Md5Hasher hasher;
        hasher.setCancelFlag(&cancel);
        qint64 seen = 0;
        hasher.setProgress([&](qint64 done) {
            seen = done;
            cancel.store(true);   // as if the user pressed Cancel after the first block
        });
        const rdt::Result<QString> md5 = hasher.hashFile(path);
        QVERIFY(!md5.ok());
        QCOMPARE(md5.error().code, rdt::ErrorCode::Cancelled);
        QCOMPARE(seen, rdt::Md5Hasher::kReadSize);
    }

    void cacheHitsOnlyTheSameIdentity()
    {
        const QString path = m_dir.filePath(QStringLiteral("cache/model.bin"));
        QVERIFY(writeFile(path, randomBytes(70000, 1)));
        const rdt::Result<rdt::FileIdentity> identity = rdt::FileIdentity::of(path);
        QVERIFY2(identity.ok(), qPrintable(identity.error().message));
        rdt::ChecksumCache cache(m_dir.filePath(QStringLiteral("cache-a.tsv")));
        QVERIFY(!cache.lookup(path, *identity));
        cache.insert(path, *identity, md5sumOf(path));
        QCOMPARE(cache.lookup(path, *identity).value_or(QString()), md5sumOf(path));

        rdt::FileIdentity otherInode = *identity;
        ++otherInode.inode;
        QVERIFY(!cache.lookup(path, otherInode));
        rdt::FileIdentity otherCtime = *identity;
        ++otherCtime.ctimeNs;
        QVERIFY(!cache.lookup(path, otherCtime));
        QVERIFY(!cache.lookup(m_dir.filePath(QStringLiteral("cache/other.bin")), *identity));

        // Same size, restored mtime: only ctime differs, and that is enough.
        QVERIFY(rewriteKeepingSizeAndMtime(path, randomBytes(70000, 2)));
        const rdt::Result<rdt::FileIdentity> after = rdt::FileIdentity::of(path);
        QVERIFY(after.ok());
        QCOMPARE(after->size, identity->size);
        QCOMPARE(after->mtimeNs, identity->mtimeNs);
        QVERIFY(after->ctimeNs != identity->ctimeNs);
        QVERIFY(!cache.lookup(path, *after));
    }

    void cacheSurvivesSaveAndLoadWithHostileNames()
    {
        const QString file = m_dir.filePath(QStringLiteral("cache-b.tsv"));
        const QString hostile = m_dir.filePath(QStringLiteral("tab\there\nnewline %41 ü -x"));
        rdt::FileIdentity identity;
        identity.size = 12;
        identity.mtimeNs = 1700000000123456789;
        identity.ctimeNs = 1700000001987654321;
        identity.inode = 42;
        identity.device = 2049;
        {
            rdt::ChecksumCache cache(file);
            QVERIFY(cache.load().ok());   // no file yet: empty
            cache.insert(hostile, identity, QStringLiteral("0123456789abcdef0123456789abcdef"));
            QVERIFY(cache.isModified());
            const rdt::Result<void> saved = cache.save();
            QVERIFY2(saved.ok(), qPrintable(saved.error().message));
        }
        {
            // A second writer with its own entry keeps the first one's.
            rdt::ChecksumCache other(file);
            other.insert(m_dir.filePath(QStringLiteral("second")), identity, QStringLiteral("ffffffffffffffffffffffffffffffff"));
            QVERIFY(other.save().ok());
        }
        rdt::ChecksumCache loaded(file);
        const rdt::Result<void> read = loaded.load();
        QVERIFY2(read.ok(), qPrintable(read.error().message));
        QCOMPARE(loaded.size(), 2);
        QCOMPARE(loaded.lookup(hostile, identity).value_or(QString()), QStringLiteral("0123456789abcdef0123456789abcdef"));
        QVERIFY(!loaded.isModified());
    }

    void folderMatchesMd5sumAndSkipsLinksAndServerCache()
    {
        const QString root = m_dir.filePath(QStringLiteral("tree"));
        const QStringList names = {
            QStringLiteral("a b.hdf5"), QStringLiteral("-leading-dash"), QStringLiteral("tab\tname"),
            QStringLiteral("ü/ñ.bin"), QStringLiteral(".hidden/x"), QStringLiteral("deep/er/empty"),
            QStringLiteral("quote's \"and\" \\back"),
        };
        for (int i = 0; i < names.size(); ++i)
            QVERIFY(writeFile(root + QLatin1Char('/') + names[i], randomBytes(i == 5 ? 0 : 1000 * i + 1, quint32(i))));
        QVERIFY(writeFile(root + QStringLiteral("/.rdt/md5-cache"), "not listed"));
        QVERIFY(QFile::link(root + QStringLiteral("/a b.hdf5"), root + QStringLiteral("/link")));

        rdt::LocalChecksumOptions options;
        options.maxThreads = 2;
        int progressCalls = 0;
        const rdt::Result<rdt::FileChecksumList> files = rdt::LocalChecksums::compute(
            root, options, nullptr, [&](const rdt::ChecksumProgress &) { ++progressCalls; });
        QVERIFY2(files.ok(), qPrintable(files.error().message));
        QStringList expected = names;
        expected.sort();
        QStringList listed;
        for (const rdt::FileChecksum &file : *files) {
            listed.append(file.relativePath);
            QCOMPARE(file.md5, md5sumOf(root + QLatin1Char('/') + file.relativePath));
            QCOMPARE(file.size, QFileInfo(root + QLatin1Char('/') + file.relativePath).size());
        }
        QCOMPARE(listed, expected);
        QVERIFY(progressCalls > 0);

        // One file: listed under its own name.
        const rdt::Result<rdt::FileChecksumList> one =
            rdt::LocalChecksums::compute(root + QStringLiteral("/a b.hdf5"), options);
        QVERIFY(one.ok());
        QCOMPARE(one->size(), 1);
        QCOMPARE(one->first().relativePath, QStringLiteral("a b.hdf5"));

        const rdt::Result<rdt::FileChecksumList> missing = rdt::LocalChecksums::compute(root + QStringLiteral("/nope"), options);
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QLatin1String("nope")), qPrintable(missing.error().message));

        // A FIFO inside a folder is not a file; as the root it is refused instead of read for ever.
        const QString fifo = root + QStringLiteral("/pipe");
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const rdt::Result<rdt::FileChecksumList> withFifo = rdt::LocalChecksums::compute(root, options);
        QVERIFY2(withFifo.ok(), qPrintable(withFifo.error().message));
        QCOMPARE(withFifo->size(), names.size());
        const rdt::Result<rdt::FileChecksumList> fifoRoot = rdt::LocalChecksums::compute(fifo, options);
        QVERIFY(!fifoRoot.ok());
        QCOMPARE(fifoRoot.error().message, QStringLiteral("hashing %1: neither a regular file nor a folder").arg(fifo));
    }

    void folderWithALineBreakInANameIsRefused()
    {
        // The server refuses such names in its listings, so a push of this one could never
        // be verified: the local listing says which file to rename instead.
        const QString root = m_dir.filePath(QStringLiteral("newline-tree"));
        QVERIFY(writeFile(root + QStringLiteral("/fine.bin"), randomBytes(10, 1)));
        QVERIFY(writeFile(root + QStringLiteral("/sub/new\nline"), randomBytes(10, 2)));
        const rdt::Result<rdt::FileChecksumList> files = rdt::LocalChecksums::compute(root, {}, nullptr, {});
        QVERIFY(!files.ok());
        QVERIFY2(files.error().message.contains(QLatin1String("\"sub/new\\nline\"")), qPrintable(files.error().message));
        QVERIFY2(files.error().message.contains(QLatin1String("line break")), qPrintable(files.error().message));
    }

    void cacheSkipsUnchangedFilesAndCatchesRestoredMtime()
    {
        const QString root = m_dir.filePath(QStringLiteral("cached"));
        for (int i = 0; i < 5; ++i)
            QVERIFY(writeFile(root + QStringLiteral("/f%1").arg(i), randomBytes(50000, quint32(100 + i))));
        rdt::ChecksumCache cache(m_dir.filePath(QStringLiteral("cache-c.tsv")));

        // Fresh files are "racy" under the default window and must not be remembered yet.
        rdt::LocalChecksumOptions options;
        options.cache = &cache;
        QVERIFY(rdt::LocalChecksums::compute(root, options).ok());
        QCOMPARE(cache.size(), 0);

        options.racyWindowMs = 0;   // the files are as good as old from here on
        const rdt::Result<rdt::FileChecksumList> first = rdt::LocalChecksums::compute(root, options);
        QVERIFY(first.ok());
        QCOMPARE(cache.size(), 5);

        rdt::ChecksumProgress last;
        const rdt::Result<rdt::FileChecksumList> second =
            rdt::LocalChecksums::compute(root, options, nullptr, [&](const rdt::ChecksumProgress &p) { last = p; });
        QVERIFY(second.ok());
        QCOMPARE(last.filesFromCache, 5);
        QCOMPARE(last.filesDone, 5);
        QCOMPARE(last.bytesTotal, qint64(0));
        QCOMPARE(*second, *first);

        const QString changed = root + QStringLiteral("/f3");
        QVERIFY(rewriteKeepingSizeAndMtime(changed, randomBytes(50000, 999)));
        const rdt::Result<rdt::FileChecksumList> third =
            rdt::LocalChecksums::compute(root, options, nullptr, [&](const rdt::ChecksumProgress &p) { last = p; });
        QVERIFY(third.ok());
        QCOMPARE(last.filesFromCache, 4);
        QCOMPARE(third->at(3).relativePath, QStringLiteral("f3"));
        QCOMPARE(third->at(3).mtimeNs, first->at(3).mtimeNs);
        QVERIFY(third->at(3).md5 != first->at(3).md5);
        QCOMPARE(third->at(3).md5, md5sumOf(changed));
    }

    void asyncRunDeliversBySignalAndCancels()
    {
        const QString root = m_dir.filePath(QStringLiteral("async"));
        for (int i = 0; i < 3; ++i)
            QVERIFY(writeFile(root + QStringLiteral("/f%1").arg(i), randomBytes(3 << 20, quint32(i))));
        rdt::LocalChecksums sums;
        QSignalSpy finished(&sums, &rdt::LocalChecksums::finished);
        QSignalSpy progress(&sums, &rdt::LocalChecksums::progress);
        sums.start(root);
        QVERIFY(sums.isRunning());
        QVERIFY(finished.wait(20000));
        QVERIFY(!sums.isRunning());
        QCOMPARE(sums.error().code, rdt::ErrorCode::None);
        QCOMPARE(sums.files().size(), 3);
        QCOMPARE(sums.files().at(1).md5, md5sumOf(root + QStringLiteral("/f1")));
        QVERIFY(progress.count() > 0);
        const rdt::ChecksumProgress lastProgress = progress.last().at(0).value<rdt::ChecksumProgress>();
        QCOMPARE(lastProgress.bytesDone, lastProgress.bytesTotal);

        std::atomic<bool> cancel{true};
        const rdt::Result<rdt::FileChecksumList> cancelled = rdt::LocalChecksums::compute(root, {}, &cancel);
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().code, rdt::ErrorCode::Cancelled);

        sums.start(root);
        sums.cancel();
        QVERIFY(finished.wait(20000));
        QVERIFY(sums.error().code == rdt::ErrorCode::Cancelled || sums.files().size() == 3);

        // Deleting a running object cancels and joins: no crash, no late signal.
        auto *running = new rdt::LocalChecksums;
        running->start(root);
        delete running;
    }
};

QTEST_GUILESS_MAIN(ChecksumLocalTest)
#include "unit_checksum_local.moc"
