// The remote folder listing's script run here under dash on a folder of hostile names, as
// the server would run it: names with spaces, a newline, quotes, `$()` and a leading dash
// arrive exactly, none runs as code; folders (and links to them) come first; sizes and
// times are the files'; "~/" is the home; a file, a missing path and an unreadable folder
// each answer with one reason.
#include "RemoteFolderListing.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace rdt;

namespace {

QByteArray runScript(const QList<QByteArray> &argv, const QString &home)
{
    QStringList arguments;
    for (qsizetype i = 1; i < argv.size(); ++i)
        arguments.append(QString::fromUtf8(argv[i]));
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), home);
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(home);
    process.start(QStringLiteral("dash"), arguments);
    process.waitForFinished(10000);
    return process.readAllStandardOutput();
}

bool writeBytes(const QString &path, qint64 size)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(QByteArray(int(size), 'x')) == size;
}

} // namespace

class RemoteFolderTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;

    Result<RemoteFolderContents> list(const QString &path)
    {
        return RemoteFolderListing::parseOutput(runScript(RemoteFolderListing::command(path), m_home.path()),
                                                QStringLiteral("list %1").arg(path));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        const QDir home(m_home.path());
        for (const QString &name : {QStringLiteral("data/with space\nand newline"), QStringLiteral("data/$(touch pwned)"),
                                    QStringLiteral("data/-rf"), QStringLiteral("data/.hidden"), QStringLiteral("data/it's \"q\"")})
            QVERIFY(home.mkpath(name));
        QVERIFY(writeBytes(home.filePath(QStringLiteral("data/model.bin")), 1234));
        QVERIFY(writeBytes(home.filePath(QStringLiteral("data/with space\nand newline/inner.txt")), 5));
        QVERIFY(QFile::link(home.filePath(QStringLiteral("data/-rf")), home.filePath(QStringLiteral("data/link to dash"))));
        QVERIFY(home.mkpath(QStringLiteral("locked")));
        QVERIFY(QFile::setPermissions(home.filePath(QStringLiteral("locked")), QFileDevice::WriteOwner));
    }

    void cleanupTestCase()
    {
        QFile::setPermissions(QDir(m_home.path()).filePath(QStringLiteral("locked")),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }

    void listsHostileNamesExactly()
    {
        const Result<RemoteFolderContents> contents = list(QStringLiteral("~/data"));
        QVERIFY2(contents, qPrintable(contents.error().message));
        QCOMPARE(contents->path, QDir(m_home.path()).filePath(QStringLiteral("data")));
        QStringList names;
        for (const RemoteFolderEntry &entry : contents->entries)
            names.append(entry.name);
        QCOMPARE(names, (QStringList{QStringLiteral("$(touch pwned)"), QStringLiteral("-rf"), QStringLiteral(".hidden"),
                                     QStringLiteral("it's \"q\""), QStringLiteral("link to dash"),
                                     QStringLiteral("with space\nand newline"), QStringLiteral("model.bin")}));
        const RemoteFolderEntry &link = contents->entries.at(4);
        QVERIFY(link.isFolder && link.isLink);
        const RemoteFolderEntry &model = contents->entries.last();
        QVERIFY(!model.isFolder);
        QCOMPARE(model.sizeBytes, qint64(1234));
        const QDateTime written = QFileInfo(QDir(m_home.path()).filePath(QStringLiteral("data/model.bin"))).lastModified();
        QVERIFY2(qAbs(model.modified.msecsTo(written)) < 1000, qPrintable(model.modified.toString(Qt::ISODate)));
        QVERIFY(contents->entries.at(2).isHidden());
        QVERIFY(!QFileInfo::exists(QDir(m_home.path()).filePath(QStringLiteral("pwned"))));
        QVERIFY(!QFileInfo::exists(QDir(m_home.path()).filePath(QStringLiteral("data/pwned"))));

        const Result<RemoteFolderContents> inner = list(contents->path + QStringLiteral("/with space\nand newline"));
        QVERIFY2(inner, qPrintable(inner.error().message));
        QCOMPARE(inner->entries.size(), 1);
        QCOMPARE(inner->entries.first().name, QStringLiteral("inner.txt"));
        QCOMPARE(inner->entries.first().sizeBytes, qint64(5));
        const Result<RemoteFolderContents> dash = list(QStringLiteral("data/-rf"));   // relative: under the home
        QVERIFY2(dash && dash->entries.isEmpty(), dash ? "" : qPrintable(dash.error().message));
    }

    void saysWhyAFolderCannotBeListed()
    {
        const Result<RemoteFolderContents> file = list(QStringLiteral("~/data/model.bin"));
        QVERIFY(!file);
        QCOMPARE(file.error().message, QStringLiteral("list ~/data/model.bin: not a folder"));
        const Result<RemoteFolderContents> missing = list(QStringLiteral("/no/such/place"));
        QVERIFY(!missing && missing.error().message.endsWith(QLatin1String(": no such folder")));
        if (::geteuid() != 0) {   // root reads any folder
            const Result<RemoteFolderContents> locked = list(QStringLiteral("~/locked"));
            QVERIFY(!locked && locked.error().message.endsWith(QLatin1String(": permission denied")));
        }
        QVERIFY(!RemoteFolderListing::parseOutput("\n@rdt-folder 1\n@path /x\0a", QStringLiteral("list")));
        const Result<RemoteFolderContents> cut = RemoteFolderListing::parseOutput(QByteArray("\n@rdt-folder 1\n@path /x\0d d 1 1.0 a\0", 36),
                                                                                  QStringLiteral("list"));
        QVERIFY(!cut && cut.error().message == QLatin1String("list: the listing was cut off"));
    }
};

QTEST_GUILESS_MAIN(RemoteFolderTest)
#include "unit_remote_folder.moc"
