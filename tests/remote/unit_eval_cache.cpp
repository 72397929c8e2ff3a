// EvalCache: one folder per host / run / checkpoint under its root, names that would leave
// the cache refused, sizes counted per scope, and clearing one run leaves the others.
#include "EvalCache.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using rdt::EvalCache;

namespace {

bool writeBytes(const QString &path, qint64 size)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(QByteArray(size, 'x')) == size;
}

} // namespace

class EvalCacheTest : public QObject {
    Q_OBJECT

private slots:
    void defaultRootIsUnderTheUsersCache()
    {
        QTemporaryDir home;
        qputenv("XDG_CACHE_HOME", home.path().toUtf8());
        QCOMPARE(EvalCache().root(), home.path() + QStringLiteral("/rdt-workbench/evals"));
    }

    void foldersPerHostRunCheckpoint()
    {
        EvalCache cache(QStringLiteral("/c"));
        const auto folder = cache.folder(QStringLiteral("gpu01"), QStringLiteral("libero-1"), QStringLiteral("checkpoint-200"));
        QVERIFY2(folder.ok(), qPrintable(folder.error().message));
        QCOMPARE(*folder, QStringLiteral("/c/gpu01/libero-1/checkpoint-200"));
    }

    void refusesNamesThatLeaveTheCache_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("run");
        QTest::addColumn<QString>("checkpoint");
        QTest::addColumn<QString>("why");
        QTest::newRow("dotdot run") << "gpu01" << ".." << "checkpoint-1" << "\"..\" is not a usable run name";
        QTest::newRow("slash checkpoint") << "gpu01" << "r" << "../../x" << "\"../../x\" is not a usable checkpoint name";
        QTest::newRow("slash host") << "a/b" << "r" << "checkpoint-1" << "\"a/b\" is not a usable host name";
        QTest::newRow("empty run") << "gpu01" << "" << "checkpoint-1" << "needs a host and a run";
    }

    void refusesNamesThatLeaveTheCache()
    {
        QFETCH(QString, host);
        QFETCH(QString, run);
        QFETCH(QString, checkpoint);
        QFETCH(QString, why);
        const auto folder = EvalCache(QStringLiteral("/c")).folder(host, run, checkpoint);
        QVERIFY(!folder.ok());
        QVERIFY2(folder.error().message.contains(why), qPrintable(folder.error().message));
    }

    void sizesAndClearsPerScope()
    {
        QTemporaryDir dir;
        EvalCache cache(dir.filePath(QStringLiteral("evals")));
        QCOMPARE(cache.sizeBytes(), qint64(0));   // nothing downloaded yet: no folder, no error
        QVERIFY(cache.clear().ok());
        const QString a = *cache.folder(QStringLiteral("gpu01"), QStringLiteral("run-a"), QStringLiteral("checkpoint-100"));
        const QString b = *cache.folder(QStringLiteral("gpu01"), QStringLiteral("run-b"), QStringLiteral("checkpoint-100"));
        const QString c = *cache.folder(QStringLiteral("gpu02"), QStringLiteral("run-a"), QStringLiteral("checkpoint-5"));
        QVERIFY(writeBytes(a + QStringLiteral("/videos/episode_000_x.mp4"), 1000));
        QVERIFY(writeBytes(a + QStringLiteral("/results.json"), 24));
        QVERIFY(writeBytes(b + QStringLiteral("/videos/episode_000_x.mp4"), 300));
        QVERIFY(writeBytes(c + QStringLiteral("/actions/demo_0.json"), 7));
        QCOMPARE(cache.sizeBytes(), qint64(1331));
        QCOMPARE(cache.sizeBytes(QStringLiteral("gpu01")), qint64(1324));
        QCOMPARE(cache.sizeBytes(QStringLiteral("gpu01"), QStringLiteral("run-a")), qint64(1024));

        QVERIFY(cache.clear(QStringLiteral("gpu01"), QStringLiteral("run-a")).ok());
        QVERIFY(!QFileInfo::exists(a));
        QCOMPARE(cache.sizeBytes(), qint64(307));
        QVERIFY(cache.clear().ok());
        QCOMPARE(cache.sizeBytes(), qint64(0));
        QVERIFY(!cache.clear(QString(), QStringLiteral("run-a")).ok());   // a run without its host is refused
    }
};

QTEST_GUILESS_MAIN(EvalCacheTest)
#include "unit_eval_cache.moc"
