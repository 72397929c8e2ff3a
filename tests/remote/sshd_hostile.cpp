// A hostile server: its `find` (first on the gpu host's PATH) lists names that would leave
// the folder being pulled ("../x", "/abs", "a//b", ".", a name with a newline). `rdtctl
// pull` and the sync API refuse the listing with one error naming the file, and nothing is
// written outside the destination (nor inside it). Pulled files get the local umask's
// mode, never the server's set-user-ID bits.
#include "ChecksumComparer.h"
#include "SafeRelativePath.h"
#include "support_files.h"
#include "support_rdtctl.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

namespace {

// In listing mode (the list script runs `find . -path ./.rdt ...`) the fake prints the
// records the test put beside it; every other use is the real find.
const QByteArray kFakeFind = "#!/bin/sh\n"
                             "listing=$(dirname \"$0\")/hostile-listing\n"
                             "if [ \"$1\" = . ] && [ -f \"$listing\" ]; then cat \"$listing\"; exit 0; fi\n"
                             "exec /usr/bin/find \"$@\"\n";

// One listing record as GNU find prints it ("%s %T@ %i %C@ %D %P\0") for a real file, so
// that an unguarded client would go on to hash and fetch it.
QByteArray recordFor(const QString &path, const QByteArray &listedName)
{
    struct stat info {};
    if (stat(QFile::encodeName(path).constData(), &info) != 0)
        return {};
    auto time = [](const timespec &t) {
        return QByteArray::number(qint64(t.tv_sec)) + '.' + QByteArray::number(qint64(t.tv_nsec)).rightJustified(9, '0') + '0';
    };
    return QByteArray::number(qint64(info.st_size)) + ' ' + time(info.st_mtim) + ' ' + QByteArray::number(quint64(info.st_ino))
        + ' ' + time(info.st_ctim) + ' ' + QByteArray::number(quint64(info.st_dev)) + ' ' + listedName + '\0';
}

} // namespace

class HostileServerTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_home;
    QTemporaryDir m_work;      // remote root, the files it points at, and the local side
    QString m_remote;

    CliRun rdtctl(const QStringList &arguments)
    {
        return runRdtctl(QStringList{QStringLiteral("-F"), m_topo.sshConfigFile()} + arguments, m_home.path());
    }

    // The listing the fake find answers with: a harmless file, then `name`, whose record
    // is the identity of the real file `target`.
    void serveListing(const QByteArray &name, const QString &target)
    {
        const QByteArray records = recordFor(m_remote + QStringLiteral("/fine.bin"), "fine.bin") + recordFor(target, name);
        QVERIFY(writeFile(m_topo.gpuBinDir() + QStringLiteral("/hostile-listing"), records));
    }

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QString error;
        QVERIFY2(m_topo.installGpuTool(QStringLiteral("find"), kFakeFind, &error), qPrintable(error));
        m_remote = m_work.filePath(QStringLiteral("remote"));
        QVERIFY(writeFile(m_remote + QStringLiteral("/fine.bin"), "fine"));
        QVERIFY(writeFile(m_remote + QStringLiteral("/a/b"), "nested"));
        QVERIFY(writeFile(m_remote + QStringLiteral("/new\nline"), "forged record"));
        QVERIFY(writeFile(m_work.filePath(QStringLiteral("escaped.txt")), "outside the remote root"));
    }

    void cleanup() { QFile::remove(m_topo.gpuBinDir() + QStringLiteral("/hostile-listing")); }

    void pullRefusesAndWritesNothing_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QString>("target");
        const QString remote = m_work.filePath(QStringLiteral("remote"));
        QTest::newRow("parent") << QByteArray("../escaped.txt") << m_work.filePath(QStringLiteral("escaped.txt"));
        QTest::newRow("absolute") << QFile::encodeName(m_work.filePath(QStringLiteral("escaped.txt")))
                                  << m_work.filePath(QStringLiteral("escaped.txt"));
        QTest::newRow("empty component") << QByteArray("a//b") << remote + QStringLiteral("/a/b");
        QTest::newRow("dot") << QByteArray(".") << remote;
        QTest::newRow("newline") << QByteArray("new\nline") << remote + QStringLiteral("/new\nline");
    }

    void pullRefusesAndWritesNothing()
    {
        QFETCH(QByteArray, name);
        QFETCH(QString, target);
        serveListing(name, target);
        // The local folder sits beside escaped.txt's would-be copy: LOCAL/../escaped.txt.
        QTemporaryDir parent;
        const QString local = parent.filePath(QStringLiteral("local"));
        const CliRun pull = rdtctl({QStringLiteral("pull"), QStringLiteral("gpu:") + m_remote, local});
        QVERIFY2(pull.exitCode == 1, pull.err.constData());
        QVERIFY2(pull.err.contains("unsafe file name"), pull.err.constData());
        QVERIFY2(pull.err.contains(rdt::SafeRelativePath::quoted(name).toUtf8()), pull.err.constData());
        QCOMPARE(QDir(parent.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
        QCOMPARE(QFile(m_work.filePath(QStringLiteral("escaped.txt"))).size(), qint64(23));
    }

    void syncApiRefusesTheListing()
    {
        serveListing("../escaped.txt", m_work.filePath(QStringLiteral("escaped.txt")));
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(c.error.message));
        QTemporaryDir local;
        rdt::ChecksumComparer comparer(c.client.get());
        QSignalSpy finished(&comparer, &rdt::ChecksumComparer::finished);
        comparer.start(local.path(), m_remote);
        QVERIFY(finished.wait(30000));
        QCOMPARE(comparer.error().code, rdt::ErrorCode::Protocol);
        QVERIFY2(comparer.error().message.contains(QLatin1String("\"../escaped.txt\" (a \"..\" component)")),
                 qPrintable(comparer.error().message));
        QVERIFY(comparer.remoteFiles().isEmpty());
    }

    void pulledFileGetsTheUmaskNotSetuid()
    {
        const QString served = m_work.filePath(QStringLiteral("setuid-tool"));
        QVERIFY(writeFile(served, "#!/bin/sh\n"));
        QVERIFY(chmod(QFile::encodeName(served).constData(), 06777) == 0);
        QTemporaryDir local;
        const mode_t previous = umask(027);
        const CliRun pull = rdtctl({QStringLiteral("pull"), QStringLiteral("gpu:") + served, local.path()});
        umask(previous);
        QVERIFY2(pull.exitCode == 0, pull.err.constData());
        struct stat info {};
        QCOMPARE(stat(QFile::encodeName(local.filePath(QStringLiteral("setuid-tool"))).constData(), &info), 0);
        QCOMPARE(info.st_mode & 07777, mode_t(0750));
    }
};

QTEST_GUILESS_MAIN(HostileServerTest)
#include "sshd_hostile.moc"
