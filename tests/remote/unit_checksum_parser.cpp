// RemoteChecksumParser reads the checksum scripts' output strictly: hostile file names
// (spaces, tabs, leading dashes, unicode, names that look like markers) come through byte
// for byte; names that would leave the folder once joined to it ("..", "/abs", "a//b",
// ".") or carry a line break are refused; cut or malformed output is an error, never a guess. The scripts
// themselves run here under dash and bash on a local folder, as the server would run them.
#include "Md5Hasher.h"
#include "RemoteChecksumParser.h"
#include "RemoteChecksumScript.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

using rdt::RemoteChecksumParser;

namespace {

const QList<QByteArray> kHostileNames = {
    "plain.hdf5",
    "with space",
    "-n",
    "--help",
    "tab\tand\\backslash",
    "@@end",
    "@@list-status 0",
    "\xc3\xbc\xe2\x9c\x93 unicode",
    "'quote\" $(echo pwned) `x` *",
    "sub dir/inner file",
    " leading space",
    "trailing space ",
    "\xff\xfe not utf-8",
};

QByteArray run(const QString &shell, const QList<QByteArray> &argv, const QByteArray &input = {},
               const QString &pathPrefix = {})
{
    // argv is {"sh", "-c", script, name, root}: run it under the chosen shell.
    QProcess process;
    if (!pathPrefix.isEmpty()) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PATH"), pathPrefix + QLatin1Char(':') + environment.value(QStringLiteral("PATH")));
        process.setProcessEnvironment(environment);
    }
    QStringList arguments = {QStringLiteral("-c"), QString::fromUtf8(argv[2]), QString::fromUtf8(argv[3]),
                             QFile::decodeName(argv[4])};
    process.start(shell, arguments);
    process.waitForStarted();
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(30000);
    return process.readAllStandardOutput();
}

// POSIX calls, not QFile: Qt decodes file names as UTF-8 and would mangle "\xff\xfe".
bool writeFile(const QByteArray &path, const QByteArray &data)
{
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    const bool written = ::write(fd, data.constData(), size_t(data.size())) == data.size();
    return ::close(fd) == 0 && written;
}

// QTemporaryDir cannot delete a name that is not UTF-8; rm can.
struct RemoveWithRm {
    QString path;
    ~RemoveWithRm() { QProcess::execute(QStringLiteral("rm"), {QStringLiteral("-rf"), QStringLiteral("--"), path}); }
};

} // namespace

class ChecksumParserTest : public QObject {
    Q_OBJECT

private slots:
    void timestamps()
    {
        qint64 ns = 0;
        QVERIFY(RemoteChecksumParser::parseTimestamp("1795740071.6516008160", &ns));
        QCOMPARE(ns, 1795740071651600816LL);
        QVERIFY(RemoteChecksumParser::parseTimestamp("12", &ns));
        QCOMPARE(ns, 12000000000LL);
        QVERIFY(RemoteChecksumParser::parseTimestamp("1.5", &ns));
        QCOMPARE(ns, 1500000000LL);
        QVERIFY(RemoteChecksumParser::parseTimestamp("-1.25", &ns));
        QCOMPARE(ns, -1250000000LL);
        for (const char *bad : {"", ".", "1.", "a", "1.2.3", "1e9", " 1", "99999999999999999999"})
            QVERIFY2(!RemoteChecksumParser::parseTimestamp(bad, &ns), bad);
    }

    void listingWithHostileNamesAndABanner()
    {
        QByteArray out = "Welcome to gpu01!\n@@rdt-remote-md5 1 is not this line\n@@rdt-remote-md5 1\n"
                         "@@now 1795740072.022130962\n@@root dir\n@@list\n";
        for (int i = 0; i < kHostileNames.size(); ++i)
            out += QByteArray::number(i) + " 1795740071.6516008160 " + QByteArray::number(100 + i)
                + " 1795740071.7000000000 65024 " + kHostileNames[i] + '\0';
        out += "@@list-status 0\n@@cache\n";
        rdt::RemoteCache cache;
        cache.insert("with space", rdt::RemoteCacheEntry{{1, 2, 3, 4, 5}, QStringLiteral("0123456789abcdef0123456789abcdef")});
        cache.insert("tab\tand\\backslash", rdt::RemoteCacheEntry{{6, 7, 8, 9, 10}, QStringLiteral("ffffffffffffffffffffffffffffffff")});
        out += RemoteChecksumParser::formatCache(cache) + "@@end\n";

        const rdt::Result<rdt::RemoteListingOutput> listing = RemoteChecksumParser::parseListing(out);
        QVERIFY2(listing.ok(), qPrintable(listing.error().message));
        QCOMPARE(listing->rootKind, rdt::RemoteRootKind::Folder);
        QCOMPARE(listing->serverNowNs, 1795740072022130962LL);
        QCOMPARE(listing->files.size(), kHostileNames.size());
        for (int i = 0; i < kHostileNames.size(); ++i) {
            QCOMPARE(listing->files[i].path, kHostileNames[i]);
            QCOMPARE(listing->files[i].identity.size, qint64(i));
            QCOMPARE(listing->files[i].identity.inode, quint64(100 + i));
            QCOMPARE(listing->files[i].identity.mtimeNs, 1795740071651600816LL);
            QCOMPARE(listing->files[i].identity.ctimeNs, 1795740071700000000LL);
            QCOMPARE(listing->files[i].identity.device, quint64(65024));
        }
        QCOMPARE(listing->cache.size(), 2);
        QCOMPARE(listing->cache.value("tab\tand\\backslash").md5, QStringLiteral("ffffffffffffffffffffffffffffffff"));
        QCOMPARE(listing->cache.value("with space").identity, (rdt::FileIdentity{1, 2, 3, 4, 5}));
    }

    void missingRootIsAResult()
    {
        const rdt::Result<rdt::RemoteListingOutput> listing =
            RemoteChecksumParser::parseListing("@@rdt-remote-md5 1\n@@now 1.5\n@@root missing\n@@end\n");
        QVERIFY2(listing.ok(), qPrintable(listing.error().message));
        QCOMPARE(listing->rootKind, rdt::RemoteRootKind::Missing);
        QVERIFY(listing->files.isEmpty());
    }

    void malformedListingsAreErrors_data()
    {
        QTest::addColumn<QByteArray>("output");
        const QByteArray head = "@@rdt-remote-md5 1\n@@now 1.5\n@@root dir\n@@list\n";
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("no header") << QByteArray("@@root dir\n@@end\n");
        QTest::newRow("cut in a record") << QByteArray(head + "5 1.0 7 1.0 1 a b");
        QTest::newRow("cut before end") << QByteArray(head + "5 1.0 7 1.0 1 a\0@@list-status 0\n", int(head.size()) + 31);
        QTest::newRow("record without a name") << QByteArray(head + "5 1.0 7 1.0 1 " + QByteArray(1, '\0') + "@@list-status 0\n@@cache\n@@end\n");
        QTest::newRow("letters in a size") << QByteArray(head + "5x 1.0 7 1.0 1 a" + QByteArray(1, '\0') + "@@list-status 0\n@@cache\n@@end\n");
        QTest::newRow("size beyond qint64") << QByteArray(head + "18446744073709551615 1.0 7 1.0 1 a" + QByteArray(1, '\0') + "@@list-status 0\n@@cache\n@@end\n");
        QTest::newRow("missing field") << QByteArray(head + "5 1.0 7 1.0" + QByteArray(1, '\0') + "@@list-status 0\n@@cache\n@@end\n");
        QTest::newRow("unknown kind") << QByteArray("@@rdt-remote-md5 1\n@@root fifo\n@@end\n");
        QTest::newRow("unknown line") << QByteArray("@@rdt-remote-md5 1\n@@root dir\n@@surprise\n@@end\n");
        QTest::newRow("no list for a folder") << QByteArray("@@rdt-remote-md5 1\n@@root dir\n@@end\n");
        QTest::newRow("format 2") << QByteArray("@@rdt-remote-md5 2\n@@root missing\n@@end\n");
    }

    void malformedListingsAreErrors()
    {
        QFETCH(QByteArray, output);
        const rdt::Result<rdt::RemoteListingOutput> listing = RemoteChecksumParser::parseListing(output);
        QVERIFY(!listing.ok());
        QVERIFY2(listing.error().message.startsWith(QLatin1String("unexpected checksum script output")),
                 qPrintable(listing.error().message));
    }

    void unsafeNamesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::newRow("parent") << QByteArray("../x");
        QTest::newRow("parent deeper") << QByteArray("a/../../b");
        QTest::newRow("absolute") << QByteArray("/abs");
        QTest::newRow("empty component") << QByteArray("a//b");
        QTest::newRow("trailing slash") << QByteArray("a/");
        QTest::newRow("dot") << QByteArray(".");
        QTest::newRow("dot component") << QByteArray("./a");
        QTest::newRow("newline") << QByteArray("new\nline");
        QTest::newRow("carriage return") << QByteArray("a\rb");
    }

    void unsafeNamesAreRefused()
    {
        QFETCH(QByteArray, name);
        const QByteArray safe = "5 1.0 7 1.0 1 fine" + QByteArray(1, '\0');
        const QByteArray listing = "@@rdt-remote-md5 1\n@@now 1.5\n@@root dir\n@@list\n" + safe + "5 1.0 8 1.0 1 " + name
            + QByteArray(1, '\0') + "@@list-status 0\n@@cache\n@@end\n";
        const rdt::Result<rdt::RemoteListingOutput> listed = RemoteChecksumParser::parseListing(listing);
        QVERIFY(!listed.ok());
        QCOMPARE(listed.error().code, rdt::ErrorCode::Protocol);
        QVERIFY2(listed.error().message.contains(QLatin1String("unsafe file name")), qPrintable(listed.error().message));
        QVERIFY2(!listed.error().message.contains(QLatin1Char('\n')), qPrintable(listed.error().message));

        const QByteArray md5 = "0123456789abcdef0123456789abcdef";
        const QByteArray hashRecord = "@@rdt-remote-md5 1\n@@hashes\n" + md5 + "  ./" + name + QByteArray(1, '\0')
            + "@@hash-status 0\n@@end\n";
        QVERIFY(!RemoteChecksumParser::parseHashes(hashRecord).ok());
        const QByteArray statusRecord = "@@rdt-remote-md5 1\n@@hashes\nS 3 1.5 9 2.5 1 ./" + name + QByteArray(1, '\0')
            + "@@hash-status 0\n@@end\n";
        QVERIFY(!RemoteChecksumParser::parseHashes(statusRecord).ok());

        // A cache holding such a name is damaged: none of it is trusted.
        QVERIFY(RemoteChecksumParser::parseCache("1 2 3 4 5 " + md5 + " fine" + QByteArray(1, '\0') + "1 2 3 4 5 " + md5 + ' '
                                                 + name + QByteArray(1, '\0')).isEmpty());
    }

    void realListingOfANewlineNameIsRefused()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray root = QFile::encodeName(dir.path());
        QVERIFY(writeFile(root + "/fine", "fine"));
        QVERIFY(writeFile(root + "/new\nline", "forged"));
        const rdt::Result<rdt::RemoteListingOutput> listing =
            RemoteChecksumParser::parseListing(run(QStringLiteral("/bin/sh"), rdt::RemoteChecksumScript::listCommand(dir.path())));
        QVERIFY(!listing.ok());
        QVERIFY2(listing.error().message.contains(QLatin1String("\"new\\nline\"")), qPrintable(listing.error().message));
        QVERIFY2(listing.error().message.contains(QLatin1String("line break")), qPrintable(listing.error().message));
    }

    void damagedCacheIsIgnoredWhole()
    {
        rdt::RemoteCache cache;
        cache.insert("a", rdt::RemoteCacheEntry{{1, 2, 3, 4, 5}, QStringLiteral("0123456789abcdef0123456789abcdef")});
        const QByteArray good = RemoteChecksumParser::formatCache(cache);
        QCOMPARE(RemoteChecksumParser::parseCache(good).size(), 1);
        QVERIFY(RemoteChecksumParser::parseCache(good + "1 2 3 4 5 nothex a").isEmpty());
        QVERIFY(RemoteChecksumParser::parseCache(good.chopped(1)).isEmpty());
        QVERIFY(RemoteChecksumParser::parseCache(good + "1 2 3 4 5 0123456789ABCDEF0123456789abcdef b" + QByteArray(1, '\0')).isEmpty());
    }

    void hashOutput()
    {
        QByteArray out = "@@rdt-remote-md5 1\n@@hashes\n";
        for (const QByteArray &name : kHostileNames)
            out += rdt::Md5Hasher::hashBytes(name).toLatin1() + "  ./" + name + '\0';
        for (const QByteArray &name : kHostileNames)
            out += "S 3 1.5 9 2.5 1 ./" + name + '\0';
        out += "@@hash-status 0\n@@end\n";
        const rdt::Result<rdt::RemoteHashOutput> hashes = RemoteChecksumParser::parseHashes(out);
        QVERIFY2(hashes.ok(), qPrintable(hashes.error().message));
        QCOMPARE(hashes->md5.size(), kHostileNames.size());
        QCOMPARE(hashes->after.size(), kHostileNames.size());
        for (const QByteArray &name : kHostileNames) {
            QCOMPARE(hashes->md5.value(name), rdt::Md5Hasher::hashBytes(name));
            QCOMPARE(hashes->after.value(name).ctimeNs, 2500000000LL);
        }

        // Progress scanning sees the records as they arrive, even split mid-record.
        qsizetype offset = 0;
        const qsizetype half = out.indexOf("with space") + 3;
        QList<QByteArray> seen = RemoteChecksumParser::takeHashedPaths(out.left(half), &offset);
        seen += RemoteChecksumParser::takeHashedPaths(out, &offset);
        QCOMPARE(seen, kHostileNames);

        QVERIFY(!RemoteChecksumParser::parseHashes(out.left(out.size() - 6)).ok());
        QByteArray escaped = out;
        escaped.replace("  ./plain", "  plain");   // not a path we sent: refuse
        QVERIFY(!RemoteChecksumParser::parseHashes(escaped).ok());
    }

    void scriptsUnderDashAndBash_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::newRow("dash") << QStringLiteral("/bin/sh");
        QTest::newRow("bash") << QStringLiteral("/bin/bash");
    }

    void scriptsUnderDashAndBash()
    {
        QFETCH(QString, shell);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const RemoveWithRm cleanup{dir.path()};
        const QByteArray root = QFile::encodeName(dir.path()) + "/-root dir";
        QVERIFY(QDir().mkpath(QFile::decodeName(root + "/sub dir")));
        QVERIFY(QDir().mkpath(QFile::decodeName(root + "/.rdt")));
        QVERIFY(writeFile(root + "/.rdt/md5-cache", "garbage"));
        for (const QByteArray &name : kHostileNames)
            QVERIFY2(writeFile(root + '/' + name, "content of " + name), name.constData());

        // A trailing slash and a root starting with '-' after the cd must not matter.
        const QByteArray listOut = run(shell, rdt::RemoteChecksumScript::listCommand(QFile::decodeName(root + '/')));
        const rdt::Result<rdt::RemoteListingOutput> listing = RemoteChecksumParser::parseListing(listOut);
        QVERIFY2(listing.ok(), qPrintable(listing.error().message + QLatin1Char('\n') + QString::fromUtf8(listOut)));
        QCOMPARE(listing->rootKind, rdt::RemoteRootKind::Folder);
        QCOMPARE(listing->listStatus, 0);
        QVERIFY(listing->serverNowNs > 0);
        QVERIFY(listing->cache.isEmpty());   // "garbage" is not a cache
        QCOMPARE(listing->files.size(), kHostileNames.size());
        QByteArray input;
        for (const rdt::RemoteListedFile &file : listing->files) {
            QVERIFY2(kHostileNames.contains(file.path), file.path.constData());
            QCOMPARE(file.identity.size, qint64(QByteArray("content of " + file.path).size()));
            input += "./" + file.path + '\0';
        }

        const QByteArray hashOut = run(shell, rdt::RemoteChecksumScript::hashCommand(QFile::decodeName(root)), input);
        const rdt::Result<rdt::RemoteHashOutput> hashes = RemoteChecksumParser::parseHashes(hashOut);
        QVERIFY2(hashes.ok(), qPrintable(hashes.error().message));
        QCOMPARE(hashes->status, 0);
        for (const rdt::RemoteListedFile &file : listing->files) {
            QCOMPARE(hashes->md5.value(file.path), rdt::Md5Hasher::hashBytes("content of " + file.path));
            QCOMPARE(hashes->after.value(file.path), file.identity);
        }

        // A server whose md5sum predates -z (coreutils < 8.29) hashes file by file instead.
        const QByteArray fakeBin = QFile::encodeName(dir.path()) + "/old-coreutils";
        QVERIFY(QDir().mkpath(QFile::decodeName(fakeBin)));
        QVERIFY(writeFile(fakeBin + "/md5sum", "#!/bin/sh\nfor a; do case $a in -z) echo \"md5sum: invalid option -- 'z'\" >&2; "
                                               "exit 1 ;; esac; done\nexec /usr/bin/md5sum \"$@\"\n"));
        QVERIFY(QFile::setPermissions(QFile::decodeName(fakeBin + "/md5sum"), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        const rdt::Result<rdt::RemoteHashOutput> old = RemoteChecksumParser::parseHashes(
            run(shell, rdt::RemoteChecksumScript::hashCommand(QFile::decodeName(root)), input, QFile::decodeName(fakeBin)));
        QVERIFY2(old.ok(), qPrintable(old.error().message));
        QCOMPARE(old->md5, hashes->md5);
        QCOMPARE(old->after, hashes->after);

        // The save script writes what it is given, the list script hands it back.
        rdt::RemoteCache cache;
        cache.insert("-n", rdt::RemoteCacheEntry{listing->files.first().identity, hashes->md5.value("-n")});
        const QByteArray saveOut = run(shell, rdt::RemoteChecksumScript::saveCommand(QFile::decodeName(root)),
                                       RemoteChecksumParser::formatCache(cache));
        QCOMPARE(RemoteChecksumParser::parseSaved(saveOut).value(), true);
        const rdt::Result<rdt::RemoteListingOutput> again =
            RemoteChecksumParser::parseListing(run(shell, rdt::RemoteChecksumScript::listCommand(QFile::decodeName(root))));
        QVERIFY(again.ok());
        QCOMPARE(again->cache.size(), 1);
        QCOMPARE(again->files.size(), kHostileNames.size());   // .rdt stays out of the listing

        // One file: its folder is the base, its name the relative path.
        const rdt::Result<rdt::RemoteListingOutput> one = RemoteChecksumParser::parseListing(
            run(shell, rdt::RemoteChecksumScript::listCommand(QFile::decodeName(root + "/-n"))));
        QVERIFY2(one.ok(), qPrintable(one.error().message));
        QCOMPARE(one->rootKind, rdt::RemoteRootKind::File);
        QCOMPARE(one->files.size(), 1);
        QCOMPARE(one->files.first().path, QByteArray("-n"));
        QCOMPARE(one->cache.size(), 1);

        const rdt::Result<rdt::RemoteListingOutput> missing = RemoteChecksumParser::parseListing(
            run(shell, rdt::RemoteChecksumScript::listCommand(QFile::decodeName(root + "/absent"))));
        QVERIFY(missing.ok());
        QCOMPARE(missing->rootKind, rdt::RemoteRootKind::Missing);

        // A file that vanished between listing and hashing has no record: the caller says so.
        const rdt::Result<rdt::RemoteHashOutput> gone = RemoteChecksumParser::parseHashes(
            run(shell, rdt::RemoteChecksumScript::hashCommand(QFile::decodeName(root)), QByteArray("./absent", 9)));
        QVERIFY(gone.ok());
        QVERIFY(gone->md5.isEmpty());
        QVERIFY(gone->status != 0);
    }
};

QTEST_GUILESS_MAIN(ChecksumParserTest)
#include "unit_checksum_parser.moc"
