// `rdtctl eval --command PRESET --field NAME=VALUE` on the real jump topology: a user's own
// preset (from ~/.config/rdt-workbench/eval-commands.json) runs on the GPU host through the
// jump host with the values given on the command line, each arriving byte for byte (quotes,
// spaces, `$()` and all) where the preset's line uses it, and the eval folder keeps the
// record of the preset and its values; an unknown field name is one usage error that names
// the preset and its fields, and nothing is launched. The GPU host is a network namespace
// of this machine, so the test reads the server's files locally.
#include "EvalCommandRecord.h"
#include "EvalFolder.h"
#include "support_files.h"
#include "support_rdtctl.h"
#include "support_topology.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace rdt;

namespace {

// The line writes each field on a line of its own into the eval folder, as a server's eval
// script would write its results there.
constexpr char kPresets[] = R"({"presets":[{
  "name": "echo fields",
  "command": "printf '%s\\n' {greeting} {where} {checkpoint_name} > {output_dir}/said.txt",
  "fields": {"greeting": "hello", "where": "~/default place"},
  "results": "success-csv",
  "results_file": "said.txt"
}]})";

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class EvalFieldsTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_work;
    QTemporaryDir m_home;
    QString m_root;

    CliRun rdtctl(const QStringList &arguments)
    {
        const QStringList target = {QStringLiteral("-F"), m_topo.sshConfigFile(), QStringLiteral("eval"), QStringLiteral("gpu"),
                                    QStringLiteral("--root"), m_root, QStringLiteral("--run"), QStringLiteral("r1"),
                                    QStringLiteral("--checkpoint"), QStringLiteral("10"), QStringLiteral("--no-tmux")};
        return runRdtctl(target + arguments, m_home.path(), 120000);
    }

    QString evalFolder() const { return EvalFolder::folder(m_root, QStringLiteral("r1"), QStringLiteral("checkpoint-10")); }

private Q_SLOTS:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_work.isValid() && m_home.isValid());
        m_root = QDir(m_work.path()).canonicalPath() + QStringLiteral("/root");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/runs/r1/checkpoint-10")));
        QVERIFY(QDir().mkpath(m_home.filePath(QStringLiteral(".config/rdt-workbench"))));
        QVERIFY(writeFile(m_home.filePath(QStringLiteral(".config/rdt-workbench/eval-commands.json")), kPresets));
    }

    void unknownFieldIsOneErrorNamingThePresetsFields()
    {
        const CliRun run = rdtctl({QStringLiteral("--command"), QStringLiteral("echo fields"), QStringLiteral("--field"),
                                   QStringLiteral("greting=hi")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.startsWith("rdtctl eval: eval command \"echo fields\" has no field \"greting\"; "
                                    "its fields are greeting, where\n"),
                 run.err.constData());
        QVERIFY2(!QFileInfo::exists(evalFolder()), "nothing may be launched");

        const CliRun malformed = rdtctl({QStringLiteral("--command"), QStringLiteral("echo fields"), QStringLiteral("--field"),
                                         QStringLiteral("greeting")});
        QCOMPARE(malformed.exitCode, 2);
        QVERIFY2(malformed.err.startsWith("rdtctl eval: --field takes NAME=VALUE, not \"greeting\"\n"), malformed.err.constData());
        const CliRun noPreset = rdtctl({QStringLiteral("--field"), QStringLiteral("greeting=hi")});
        QCOMPARE(noPreset.exitCode, 2);
        QVERIFY2(noPreset.err.contains("name the preset with --command"), noPreset.err.constData());
        const CliRun filled = rdtctl({QStringLiteral("--command"), QStringLiteral("echo fields"), QStringLiteral("--field"),
                                      QStringLiteral("checkpoint=/elsewhere")});
        QCOMPARE(filled.exitCode, 2);
        QVERIFY2(filled.err.contains("{checkpoint} is filled by the workbench"), filled.err.constData());
        QVERIFY(!QFileInfo::exists(evalFolder()));
    }

    void fieldValuesReachTheServerExactly()
    {
        const QString hostile = QStringLiteral("it's \"quoted\" $(touch pwned) `id` ; x=1");
        const CliRun run = rdtctl({QStringLiteral("--command"), QStringLiteral("echo fields"), QStringLiteral("--field"),
                                   QStringLiteral("greeting=") + hostile, QStringLiteral("--field"),
                                   QStringLiteral("where=/data/with space")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("eval of checkpoint-10 done"), run.out.constData());
        QCOMPARE(QString::fromUtf8(readAll(evalFolder() + QStringLiteral("/said.txt"))),
                 hostile + QStringLiteral("\n/data/with space\ncheckpoint-10\n"));
        QVERIFY(!QFileInfo::exists(evalFolder() + QStringLiteral("/pwned")));
        QVERIFY(!QFileInfo::exists(m_home.filePath(QStringLiteral("pwned"))));
        // The record beside the results: the preset and the values it ran with.
        const Result<std::optional<EvalCommandRecord>> record = EvalCommandRecord::read(evalFolder());
        QVERIFY2(record && *record, record ? "no eval-command.json" : qPrintable(record.error().message));
        QCOMPARE((*record)->preset, QStringLiteral("echo fields"));
        QCOMPARE((*record)->results, EvalResultsFormat::SuccessCsv);
        QCOMPARE((*record)->fields.at(QStringLiteral("greeting")), hostile);
        QCOMPARE((*record)->fields.at(QStringLiteral("where")), QStringLiteral("/data/with space"));

        // Without --field the preset's defaults apply ("~/" expanded by the server's shell).
        const CliRun defaults = rdtctl({QStringLiteral("--command"), QStringLiteral("echo fields")});
        QVERIFY2(defaults.exitCode == 0, defaults.err.constData());
        const QByteArray said = readAll(evalFolder() + QStringLiteral("/said.txt"));
        QVERIFY2(said.startsWith("hello\n/") && said.contains("/default place\ncheckpoint-10\n") && !said.contains('~'),
                 said.constData());
    }
};

QTEST_GUILESS_MAIN(EvalFieldsTest)
#include "sshd_eval_fields.moc"
