// File names from a listing are joined to a root only when that cannot leave it:
// SafeRelativePath's verdicts, and SyncRunner refusing an unsafe plan or a destination
// whose folders are symbolic links before anything is created, moved or deleted.
#include "FileComparison.h"
#include "SafeRelativePath.h"
#include "SyncPlan.h"
#include "SyncRunner.h"
#include "support_files.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using rdt::SafeRelativePath;

namespace {

rdt::FileChecksum listed(const QString &path)
{
    rdt::FileChecksum file;
    file.relativePath = path;
    file.size = 4;
    file.md5 = QStringLiteral("0123456789abcdef0123456789abcdef");
    return file;
}

// Runs a plan without a connection: every refusal tested here must come before the first
// command, so a runner that got further would crash on the missing client.
rdt::Error runWithoutServer(const rdt::SyncPlan &plan, const QString &localRoot)
{
    rdt::SyncRunner runner(nullptr);
    QSignalSpy finished(&runner, &rdt::SyncRunner::finished);
    runner.run(plan, localRoot, QStringLiteral("/srv/remote-root"));
    if (finished.isEmpty() && !finished.wait(5000))
        return rdt::makeError(rdt::ErrorCode::Timeout, QStringLiteral("test: the runner never finished"));
    return runner.error();
}

} // namespace

class SyncPathsTest : public QObject {
    Q_OBJECT

private slots:
    void safeAndUnsafeNames()
    {
        for (const char *safe : {"a", "a/b", "dir/.hidden", "..x", "x..", "a b/c d", "-n", "ü/ñ", "...", ".rdt-part"})
            QVERIFY2(SafeRelativePath::problem(QByteArray(safe)).isEmpty(), safe);
        const QList<QPair<QByteArray, QString>> unsafe = {
            {"", QStringLiteral("empty name")},
            {"..", QStringLiteral("\"..\" component")},
            {"../x", QStringLiteral("\"..\" component")},
            {"a/../../x", QStringLiteral("\"..\" component")},
            {".", QStringLiteral("\".\" component")},
            {"a/./b", QStringLiteral("\".\" component")},
            {"/etc/passwd", QStringLiteral("absolute path")},
            {"a//b", QStringLiteral("empty path component")},
            {"a/", QStringLiteral("empty path component")},
            {QByteArray("a\0b", 3), QStringLiteral("NUL byte")},
            {"a\nb", QStringLiteral("line break")},
            {"a\rb", QStringLiteral("line break")},
        };
        for (const auto &[name, why] : unsafe) {
            const QString problem = SafeRelativePath::problem(name);
            QVERIFY2(problem.contains(why), qPrintable(SafeRelativePath::quoted(name) + QStringLiteral(": ") + problem));
        }
        QCOMPARE(SafeRelativePath::quoted(QByteArray("a\nb\"c\\\x01", 7)), QStringLiteral("\"a\\nb\\\"c\\\\\\x01\""));
        QVERIFY(SafeRelativePath::quoted(QByteArray(500, 'x')).endsWith(QLatin1String("...\"")));
    }

    void pullOfAnUnsafeNameIsRefusedBeforeAnythingMoves_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("parent") << QStringLiteral("../escaped.txt");
        QTest::newRow("absolute") << QStringLiteral("/tmp/escaped.txt");
        QTest::newRow("empty component") << QStringLiteral("a//b");
        QTest::newRow("dot") << QStringLiteral(".");
        QTest::newRow("newline") << QStringLiteral("new\nline");
    }

    void pullOfAnUnsafeNameIsRefusedBeforeAnythingMoves()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const QString local = dir.filePath(QStringLiteral("local"));
        const rdt::FileComparison comparison =
            rdt::FileComparison::compare({}, {listed(QStringLiteral("fine/ok.bin")), listed(name)});
        const rdt::Error error = runWithoutServer(rdt::SyncPlan::make(comparison, rdt::SyncDirection::Pull), local);
        QCOMPARE(error.code, rdt::ErrorCode::InvalidArgument);
        QVERIFY2(error.message.contains(SafeRelativePath::quoted(name)), qPrintable(error.message));
        QVERIFY2(!QFileInfo::exists(local), "nothing may be created for a refused plan");
    }

    void pushDeletingAnUnsafeNameIsRefused()
    {
        QTemporaryDir dir;
        const rdt::FileComparison comparison = rdt::FileComparison::compare({}, {listed(QStringLiteral("../../.bashrc"))});
        const rdt::Error error =
            runWithoutServer(rdt::SyncPlan::make(comparison, rdt::SyncDirection::Push, true), dir.path());
        QCOMPARE(error.code, rdt::ErrorCode::InvalidArgument);
        QVERIFY2(error.message.contains(QLatin1String("\"..\" component")), qPrintable(error.message));
    }

    void pullNeverWritesThroughALinkInTheDestination()
    {
        QTemporaryDir dir;
        const QString local = dir.filePath(QStringLiteral("local"));
        const QString elsewhere = dir.filePath(QStringLiteral("elsewhere"));
        QVERIFY(QDir().mkpath(local));
        QVERIFY(QDir().mkpath(elsewhere));
        QVERIFY(QFile::link(elsewhere, local + QStringLiteral("/sub")));
        const rdt::FileComparison comparison =
            rdt::FileComparison::compare({}, {listed(QStringLiteral("sub/deeper/planted.bin"))});
        const rdt::Error error = runWithoutServer(rdt::SyncPlan::make(comparison, rdt::SyncDirection::Pull), local);
        QCOMPARE(error.code, rdt::ErrorCode::LocalIo);
        QVERIFY2(error.message.contains(QLatin1String("symbolic link")), qPrintable(error.message));
        QVERIFY2(QDir(elsewhere).isEmpty(), "a folder was created through the link");
    }
};

QTEST_GUILESS_MAIN(SyncPathsTest)
#include "unit_sync_paths.moc"
