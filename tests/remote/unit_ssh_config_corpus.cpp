// Every file of tests/remote/data/ssh_config_corpus resolved by `rdtctl config HOST` and by
// the real `ssh -G HOST`: for each keyword rdtctl prints, both must print the same values,
// and destinations a file marks as failing must fail in both. The real ~/.ssh/config and
// /etc/ssh/ssh_config of the machine are compared the same way.
#include "support_rdtctl.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <pwd.h>
#include <unistd.h>

namespace {

// Keywords ssh prints only when set: absent on one side and present on the other is a
// disagreement too. (ciphers is compared only when rdtctl prints it: an OpenSSH "+list"
// edits OpenSSH's defaults, which the workbench does not share.)
const QStringList kPrintedWhenSet{
    QStringLiteral("hostkeyalias"), QStringLiteral("identityagent"), QStringLiteral("preferredauthentications"),
    QStringLiteral("certificatefile"), QStringLiteral("proxycommand"), QStringLiteral("proxyjump"),
};

// keyword -> its values in output order (identityfile and certificatefile repeat).
QMap<QString, QStringList> parseDump(const QByteArray &output)
{
    QMap<QString, QStringList> values;
    for (const QByteArray &raw : output.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype space = line.indexOf(QLatin1Char(' '));
        values[line.left(space).toLower()].append(space < 0 ? QString() : line.mid(space + 1));
    }
    return values;
}

QString homeOfUser()
{
    const passwd *entry = getpwuid(getuid());
    return entry ? QFile::decodeName(entry->pw_dir) : QDir::homePath();
}

struct SshRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

SshRun runSshG(const QStringList &arguments)
{
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStandardPaths::findExecutable(QStringLiteral("ssh")), QStringList{QStringLiteral("-G")} + arguments);
    SshRun run;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

class SshConfigCorpusTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_copy;   // the corpus, under ~/.ssh
    bool m_createdSshDir = false;
    QString m_home;

    static QString corpusSource() { return QStringLiteral(RDT_SOURCE_DIR "/tests/remote/data/ssh_config_corpus"); }

    // The destinations named on a "# hosts:" or "# fails:" line of a corpus file.
    static QStringList namedHosts(const QString &path, const QString &marker)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        for (const QByteArray &line : file.readAll().split('\n')) {
            const QString text = QString::fromUtf8(line);
            if (text.startsWith(marker))
                return text.mid(marker.size()).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        }
        return {};
    }

    void compare(const QStringList &sshArguments, const QStringList &rdtctlArguments, const QString &label)
    {
        const SshRun ssh = runSshG(sshArguments);
        QVERIFY2(ssh.exitCode == 0, qPrintable(QStringLiteral("%1: ssh -G failed: %2").arg(label, QString::fromUtf8(ssh.err))));
        const CliRun ours = runRdtctl(rdtctlArguments, m_home, 30000);
        QVERIFY2(ours.exitCode == 0, qPrintable(QStringLiteral("%1: rdtctl config failed: %2").arg(label, QString::fromUtf8(ours.err))));
        const QMap<QString, QStringList> expected = parseDump(ssh.out);
        const QMap<QString, QStringList> actual = parseDump(ours.out);
        QVERIFY2(actual.size() >= 20, qPrintable(label + QStringLiteral(": rdtctl printed too little:\n") + QString::fromUtf8(ours.out)));
        for (auto it = actual.cbegin(); it != actual.cend(); ++it) {
            QVERIFY2(expected.contains(it.key()),
                     qPrintable(QStringLiteral("%1: ssh -G prints no %2; rdtctl prints %3").arg(label, it.key(), it.value().join(QStringLiteral(" | ")))));
            QVERIFY2(expected.value(it.key()) == it.value(),
                     qPrintable(QStringLiteral("%1: %2: ssh -G says '%3', rdtctl config says '%4'")
                                    .arg(label, it.key(), expected.value(it.key()).join(QStringLiteral(" | ")),
                                         it.value().join(QStringLiteral(" | ")))));
        }
        for (const QString &keyword : kPrintedWhenSet)
            QVERIFY2(actual.contains(keyword) || !expected.contains(keyword),
                     qPrintable(QStringLiteral("%1: ssh -G prints %2 %3, rdtctl config does not")
                                    .arg(label, keyword, expected.value(keyword).join(QStringLiteral(" | ")))));
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
            QSKIP("the OpenSSH client (ssh) is not installed");
        // ssh takes ~ from the password database; rdtctl runs with that home too.
        m_home = homeOfUser();
        const QString sshDir = m_home + QStringLiteral("/.ssh");
        if (!QFileInfo::exists(sshDir)) {
            QVERIFY(QDir().mkpath(sshDir));
            QFile::setPermissions(sshDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            m_createdSshDir = true;
        }
        // Under ~/.ssh so that a relative Include means the same to both programs.
        m_copy = std::make_unique<QTemporaryDir>(sshDir + QStringLiteral("/rdt-corpus-XXXXXX"));
        QVERIFY(m_copy->isValid());
        const QString relative = QDir(sshDir).relativeFilePath(m_copy->path());
        QDirIterator files(corpusSource(), QDir::Files, QDirIterator::Subdirectories);
        int count = 0;
        while (files.hasNext()) {
            const QString source = files.next();
            const QString target = m_copy->path() + QLatin1Char('/') + QDir(corpusSource()).relativeFilePath(source);
            QDir().mkpath(QFileInfo(target).absolutePath());
            QFile in(source);
            QVERIFY(in.open(QIODevice::ReadOnly));
            QByteArray text = in.readAll();
            text.replace("@DIR@", m_copy->path().toUtf8()).replace("@REL@", relative.toUtf8());
            QFile out(target);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(text);
            if (target.endsWith(QLatin1String(".conf")) && !target.contains(QLatin1String("/inc/")))
                ++count;
        }
        QVERIFY2(count >= 40, qPrintable(QStringLiteral("the corpus has %1 files; the issue asks for 40").arg(count)));
    }

    void cleanupTestCase()
    {
        m_copy.reset();
        if (m_createdSshDir)
            QDir(m_home + QStringLiteral("/.ssh")).removeRecursively();
    }

    void agreesWithOpenSsh_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("host");
        QDir corpus(corpusSource());
        for (const QString &name : corpus.entryList({QStringLiteral("*.conf")}, QDir::Files, QDir::Name)) {
            for (const QString &host : namedHosts(corpus.filePath(name), QStringLiteral("# hosts:")))
                QTest::newRow(qPrintable(name + QLatin1Char(' ') + host)) << name << host;
        }
    }

    void agreesWithOpenSsh()
    {
        QFETCH(QString, file);
        QFETCH(QString, host);
        const QString path = m_copy->path() + QLatin1Char('/') + file;
        compare({QStringLiteral("-F"), path, host},
                {QStringLiteral("-F"), path, QStringLiteral("config"), host}, file + QLatin1Char(' ') + host);
    }

    void refusedLikeOpenSsh_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("host");
        QDir corpus(corpusSource());
        for (const QString &name : corpus.entryList({QStringLiteral("*.conf")}, QDir::Files, QDir::Name)) {
            for (const QString &host : namedHosts(corpus.filePath(name), QStringLiteral("# fails:")))
                QTest::newRow(qPrintable(name + QLatin1Char(' ') + host)) << name << host;
        }
    }

    void refusedLikeOpenSsh()
    {
        QFETCH(QString, file);
        QFETCH(QString, host);
        const QString path = m_copy->path() + QLatin1Char('/') + file;
        const SshRun ssh = runSshG({QStringLiteral("-F"), path, host});
        QVERIFY2(ssh.exitCode != 0, "ssh -G accepted it");
        const CliRun ours = runRdtctl({QStringLiteral("-F"), path, QStringLiteral("config"), host}, m_home, 30000);
        QCOMPARE(ours.exitCode, 255);
        // One message that names the file and line.
        QVERIFY2(ours.err.contains(file.toUtf8() + ':'), ours.err.constData());
    }

    // No -F: the machine's own ~/.ssh/config, then /etc/ssh/ssh_config, as ssh reads them.
    void machineConfigAgrees()
    {
        compare({QStringLiteral("corpus-probe.example")}, {QStringLiteral("config"), QStringLiteral("corpus-probe.example")},
                QStringLiteral("system configuration"));
    }

    // The keywords the workbench does not act on are listed after the options.
    void ignoredKeywordsAreListed()
    {
        const QString path = m_copy->path() + QStringLiteral("/53-ignored-keywords.conf");
        const CliRun ours = runRdtctl({QStringLiteral("-F"), path, QStringLiteral("config"), QStringLiteral("fwd")}, m_home, 30000);
        QCOMPARE(ours.exitCode, 0);
        QVERIFY2(ours.out.contains("# ignored forwardagent (" + path.toUtf8() + ":3)"), ours.out.constData());
        QVERIFY2(ours.out.contains("# ignored localforward ("), ours.out.constData());
        QVERIFY2(ours.out.contains("# ignored compression ("), ours.out.constData());
        QVERIFY2(!ours.out.contains("# ignored user"), ours.out.constData());
    }
};

QTEST_GUILESS_MAIN(SshConfigCorpusTest)
#include "unit_ssh_config_corpus.moc"
