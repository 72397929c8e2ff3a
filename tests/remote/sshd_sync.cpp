// Folder sync with rdtctl against the real topology: only what differs moves, a pull
// brings back an identical tree, diff's exit status says whether the copies match, and a
// file pushed into a folder lands inside it.
#include "support_files.h"
#include "support_rdtctl.h"
#include "support_topology.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QMap<QString, QByteArray> treeDigest(const QString &root)
{
    QMap<QString, QByteArray> digest;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (QDir(root).relativeFilePath(path).startsWith(QLatin1String(".rdt/")))
            continue;   // the server's checksum cache, not part of the data
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        digest.insert(QDir(root).relativeFilePath(path), QCryptographicHash::hash(file.readAll(), QCryptographicHash::Md5));
    }
    return digest;
}

} // namespace

class SyncTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_home;     // HOME for rdtctl: its checksum cache lives there
    QTemporaryDir m_local;
    QTemporaryDir m_remote;   // seen by the gpu host at the same path

    CliRun rdtctl(const QStringList &arguments)
    {
        return runRdtctl(QStringList{QStringLiteral("-F"), m_topo.sshConfigFile()} + arguments, m_home.path());
    }

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
    }

    void onlyTheChangedFileMoves()
    {
        const QString source = m_local.filePath(QStringLiteral("dataset"));
        QRandomGenerator generator(11);
        for (int i = 0; i < 100; ++i) {
            QByteArray content(int(generator.bounded(1, 20000)), Qt::Uninitialized);
            for (char &c : content)
                c = char(generator.bounded(256));
            QVERIFY(writeFile(QStringLiteral("%1/part%2/file-%3.bin").arg(source).arg(i % 4).arg(i), content));
        }
        const QString target = QStringLiteral("gpu:") + m_remote.filePath(QStringLiteral("dataset"));

        CliRun first = rdtctl({QStringLiteral("push"), source, target});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QVERIFY2(first.err.contains("100 files"), first.err.constData());
        QCOMPARE(treeDigest(m_remote.filePath(QStringLiteral("dataset"))), treeDigest(source));

        CliRun identical = rdtctl({QStringLiteral("diff"), source, target});
        QCOMPARE(identical.exitCode, 0);

        QVERIFY(writeFile(source + QStringLiteral("/part1/file-41.bin"), "changed"));
        CliRun different = rdtctl({QStringLiteral("diff"), source, target, QStringLiteral("--json")});
        QCOMPARE(different.exitCode, 1);
        QVERIFY2(different.out.contains("\"different\": 1"), different.out.constData());

        CliRun dryRun = rdtctl({QStringLiteral("push"), source, target, QStringLiteral("--dry-run")});
        QCOMPARE(dryRun.exitCode, 0);
        QVERIFY2(dryRun.out.contains("part1/file-41.bin"), dryRun.out.constData());
        QCOMPARE(QFile(m_remote.filePath(QStringLiteral("dataset/part1/file-41.bin"))).size() == 7, false);

        CliRun second = rdtctl({QStringLiteral("push"), source, target});
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QVERIFY2(second.err.contains("1 files, 7 B sent"), second.err.constData());
        QCOMPARE(treeDigest(m_remote.filePath(QStringLiteral("dataset"))), treeDigest(source));

        const QString back = m_local.filePath(QStringLiteral("back"));
        CliRun pull = rdtctl({QStringLiteral("pull"), target, back});
        QVERIFY2(pull.exitCode == 0, pull.err.constData());
        QCOMPARE(treeDigest(back), treeDigest(source));
    }

    void deleteOnlyWhenAsked()
    {
        const QString source = m_local.filePath(QStringLiteral("small"));
        QVERIFY(writeFile(source + QStringLiteral("/keep.txt"), "keep"));
        const QString remoteRoot = m_remote.filePath(QStringLiteral("small"));
        QVERIFY(writeFile(remoteRoot + QStringLiteral("/extra.txt"), "extra"));
        const QString target = QStringLiteral("gpu:") + remoteRoot;
        QCOMPARE(rdtctl({QStringLiteral("push"), source, target}).exitCode, 0);
        QVERIFY(QFile::exists(remoteRoot + QStringLiteral("/extra.txt")));
        QCOMPARE(rdtctl({QStringLiteral("sync"), source, target, QStringLiteral("--delete")}).exitCode, 0);
        QVERIFY(!QFile::exists(remoteRoot + QStringLiteral("/extra.txt")));
        QVERIFY(QFile::exists(remoteRoot + QStringLiteral("/keep.txt")));
    }

    void fileIntoFolderAndMd5()
    {
        const QString file = m_local.filePath(QStringLiteral("model.bin"));
        QVERIFY(writeFile(file, QByteArray(100000, 'm')));
        QDir().mkpath(m_remote.filePath(QStringLiteral("models")));
        CliRun push = rdtctl({QStringLiteral("push"), file, QStringLiteral("gpu:") + m_remote.filePath(QStringLiteral("models"))});
        QVERIFY2(push.exitCode == 0, push.err.constData());
        const QString landed = m_remote.filePath(QStringLiteral("models/model.bin"));
        QVERIFY(QFile::exists(landed));
        CliRun md5 = rdtctl({QStringLiteral("md5"), QStringLiteral("gpu:") + landed});
        QCOMPARE(md5.exitCode, 0);
        const QByteArray expected = QCryptographicHash::hash(QByteArray(100000, 'm'), QCryptographicHash::Md5).toHex();
        QCOMPARE(md5.out, expected + "  " + landed.toUtf8() + '\n');
    }
};

QTEST_GUILESS_MAIN(SyncTest)
#include "sshd_sync.moc"
